package io.podfleet.web;

import io.podfleet.platform.problem.DomainProblem;
import io.podfleet.platform.problem.ParameterProblems;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

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

    /** A page address with a parameter that cannot be read (a host id that is not a number, ...) is the caller's. */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    String badParameter(MethodArgumentTypeMismatchException e, HttpServletResponse response, Model model) {
        response.setStatus(400);
        model.addAttribute("status", 400);
        model.addAttribute("message", e.getName() + ": " + ParameterProblems.explain(e));
        return "problem";
    }
}
