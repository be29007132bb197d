package io.podfleet.web;

import io.podfleet.platform.problem.DomainProblem;
import io.podfleet.security.DashboardUsers;
import io.podfleet.security.Role;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.List;

/** Dashboard users, for ADMIN: add one, change a role, disable or enable, set a new password. */
@Controller
@PreAuthorize("hasRole('ADMIN')")
class UsersPage {

    private final DashboardUsers users;

    UsersPage(DashboardUsers users) {
        this.users = users;
    }

    @GetMapping("/users")
    String list(Model model) {
        model.addAttribute("users", users.list());
        model.addAttribute("roles", List.of(Role.VIEWER, Role.OPERATOR, Role.ADMIN));
        return "users";
    }

    @PostMapping("/users")
    String create(@RequestParam String username, @RequestParam String password, @RequestParam Role role, RedirectAttributes flash) {
        try {
            users.create(username, password, role);
            flash.addFlashAttribute("done", "User " + username + " added as " + role + ".");
        } catch (DomainProblem refused) {
            flash.addFlashAttribute("error", refused.field() + ": " + refused.getMessage());
        }
        return "redirect:/users";
    }

    @PostMapping("/users/{username}")
    String update(@PathVariable String username, @RequestParam(required = false) Role role,
                  @RequestParam(required = false) Boolean enabled, @RequestParam(required = false) String password,
                  RedirectAttributes flash) {
        try {
            users.update(username, role, enabled, password == null || password.isEmpty() ? null : password);
            flash.addFlashAttribute("done", "User " + username + " changed.");
        } catch (DomainProblem refused) {
            flash.addFlashAttribute("error", refused.field() + ": " + refused.getMessage());
        }
        return "redirect:/users";
    }
}
