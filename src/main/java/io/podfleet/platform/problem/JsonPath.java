package io.podfleet.platform.problem;

import tools.jackson.core.JacksonException;

/** Renders the path of a Jackson error as a caller writes it: {@code drives[3].serial}. */
public final class JsonPath {

    private JsonPath() {
    }

    public static String of(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "$" : path.toString();
    }
}
