package io.podfleet.platform.problem;

import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The words for a query or path parameter that cannot be read, the same for the API and the dashboard's pages. */
public final class ParameterProblems {

    private ParameterProblems() {
    }

    /** Why the parameter's value cannot be used, without the parameter's name. */
    public static String explain(MethodArgumentTypeMismatchException e) {
        Class<?> type = e.getRequiredType();
        if (e.getValue() instanceof String text && text.indexOf('\0') >= 0) {
            return "must not contain the NUL character (\\u0000)";
        }
        if (type != null && type.isEnum()) {
            return oneOf(type, e.getValue());
        }
        return "cannot be read as " + (type == null ? "the expected type" : type.getSimpleName()) + ": '" + e.getValue() + "'";
    }

    static String oneOf(Class<?> enumType, Object given) {
        return "must be one of " + Arrays.stream(enumType.getEnumConstants()).map(Object::toString)
                .collect(Collectors.joining(", ")) + ", not '" + given + "'";
    }
}
