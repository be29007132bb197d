package io.podfleet.admission;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The upload URL template, parsed once: {@code {name}} or {@code {name:07d}} (zero-padded to 7 digits). Filling it
 * is on every grant, so it is literal parts and placeholders, not a regex and String.format each time.
 */
final class UploadUrl {

    private record Part(String literal, String name, int width) {
    }

    private final List<Part> parts = new ArrayList<>();

    UploadUrl(String template) {
        check(template);
        Matcher m = PLACEHOLDER.matcher(template);
        int last = 0;
        while (m.find()) {
            parts.add(new Part(template.substring(last, m.start()), null, 0));
            parts.add(new Part(null, m.group(1), m.group(2) == null ? 0 : Integer.parseInt(m.group(2))));
            last = m.end();
        }
        parts.add(new Part(template.substring(last), null, 0));
    }

    String fill(Map<String, Object> values) {
        StringBuilder out = new StringBuilder(96);
        for (Part p : parts) {
            if (p.literal() != null) {
                out.append(p.literal());
                continue;
            }
            Object value = values.get(p.name());
            String text = String.valueOf(value);
            if (p.width() > 0 && value instanceof Number) {
                for (int i = text.length(); i < p.width(); i++) {
                    out.append('0');
                }
            }
            out.append(text);
        }
        return out.toString();
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)(?::0?(\\d+)d)?}");
    private static final java.util.Set<String> NAMES = java.util.Set.of("cluster", "vault", "pod", "tome", "host", "domain");

    /** Refuses a template with an unknown placeholder, at start-up rather than at the first upload. */
    static void check(String template) {
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!NAMES.contains(m.group(1))) {
                throw new IllegalArgumentException("podfleet.admission.url-template: unknown placeholder {" + m.group(1)
                        + "}; known: " + NAMES);
            }
        }
    }
}
