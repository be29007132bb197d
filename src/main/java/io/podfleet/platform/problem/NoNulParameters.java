package io.podfleet.platform.problem;

import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

import java.beans.PropertyEditorSupport;

/**
 * Query and path parameters read as text refuse the NUL character, as request bodies do
 * ({@code platform.json.NoNulStrings}): PostgreSQL cannot take it, so a filter holding one failed as a 500. The refusal
 * is a type mismatch, which the API answers as 400 naming the parameter ({@link ProblemHandler}) and a page as 400.
 */
@ControllerAdvice
class NoNulParameters {

    @InitBinder
    void refuseNul(WebDataBinder binder) {
        binder.registerCustomEditor(String.class, new PropertyEditorSupport() {
            @Override
            public void setAsText(String text) {
                if (text != null && text.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("must not contain the NUL character");
                }
                setValue(text);
            }
        });
    }
}
