package io.podfleet.web;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who is looking: every page gets {@code me} to show the name and role and to offer only the actions the role allows
 * (the server checks again on each action).
 */
@ControllerAdvice(basePackageClasses = Viewer.class)
class Viewer {

    record Me(String name, String role, boolean operator, boolean admin) {
    }

    @ModelAttribute("me")
    Me me(Authentication auth) {
        if (auth == null) {
            return new Me(null, null, false, false);
        }
        Set<String> roles = auth.getAuthorities().stream().map(GrantedAuthority::getAuthority).collect(Collectors.toSet());
        boolean admin = roles.contains("ROLE_ADMIN");
        boolean operator = admin || roles.contains("ROLE_OPERATOR");
        return new Me(auth.getName(), admin ? "ADMIN" : operator ? "OPERATOR" : "VIEWER", operator, admin);
    }
}
