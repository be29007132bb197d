package io.podfleet.platform.json;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A handler parameter read from the request's JSON body, as {@code @RequestBody} would read it (the same mapper, the
 * same 400 and 415 problems), but without Spring MVC's general path: it copies every header, searches its converters
 * and makes a data binder for each body, which cost more than reading the JSON on the upload dispatcher's endpoints
 * (docs/benchmarks.md, upload admission). For endpoints called thousands of times a second; the others keep
 * {@code @RequestBody}. Not validated ({@code @Valid} has no effect): the handler checks what it is given.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface JsonBody {

    /** Whether a request without a body is refused (400); if not, the parameter is null. */
    boolean required() default true;
}
