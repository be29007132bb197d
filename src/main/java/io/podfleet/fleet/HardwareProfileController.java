package io.podfleet.fleet;

import io.podfleet.platform.problem.DomainProblem;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Collection;

@RestController
@RequestMapping("/api/v1/hardware-profiles")
class HardwareProfileController {

    private final HardwareProfiles profiles;

    HardwareProfileController(HardwareProfiles profiles) {
        this.profiles = profiles;
    }

    @GetMapping
    Collection<HardwareProfile> all() {
        return profiles.all();
    }

    @GetMapping("/{id}")
    HardwareProfile one(@PathVariable String id) {
        return profiles.find(id).orElseThrow(() -> new DomainProblem.NotFound("Hardware profile", id));
    }
}
