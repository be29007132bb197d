package io.podfleet.security;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** Dashboard users through the API, for provisioning tools: ADMIN only. */
@RestController
@PreAuthorize("hasRole('ADMIN')")
class DashboardUserController {

    record NewUser(String username, String password, Role role) {
    }

    record UserChange(Role role, Boolean enabled, String password) {
    }

    private final DashboardUsers users;

    DashboardUserController(DashboardUsers users) {
        this.users = users;
    }

    @GetMapping("/api/v1/users")
    List<DashboardUsers.User> list() {
        return users.list();
    }

    @PostMapping("/api/v1/users")
    @ResponseStatus(HttpStatus.CREATED)
    DashboardUsers.User create(@RequestBody NewUser user) {
        return users.create(user.username(), user.password(), user.role());
    }

    @PatchMapping("/api/v1/users/{username}")
    DashboardUsers.User update(@PathVariable String username, @RequestBody UserChange change) {
        return users.update(username, change.role(), change.enabled(), change.password());
    }
}
