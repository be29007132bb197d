package io.podfleet.web;

import io.podfleet.platform.problem.DomainProblem;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/** A refused or missing thing on a page answers a page with the reason and the status, not a problem document. */
@ControllerAdvice(basePackageClasses = WebErrors.class)
class WebErrors {

    @ExceptionHandler(DomainProblem.class)
    String problem(DomainProblem problem, HttpServletResponse response, Model model) {
        response.setStatus(problem.status().value());
        model.addAttribute("status", problem.status().value());
        model.addAttribute("message", problem.getMessage());
        return "problem";
    }
}
