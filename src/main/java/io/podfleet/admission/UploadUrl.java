package io.podfleet.admission;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Fills the upload URL template: {@code {name}} or {@code {name:07d}} (zero-padded to 7 digits). */
final class UploadUrl {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)(?::0?(\\d+)d)?}");
    private static final java.util.Set<String> NAMES = java.util.Set.of("cluster", "vault", "pod", "tome", "host", "domain");

    private UploadUrl() {
    }

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

    static String fill(String template, Map<String, Object> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object value = values.get(m.group(1));
            String text;
            if (m.group(2) != null && value instanceof Number n) {
                text = String.format(Locale.ROOT, "%0" + m.group(2) + "d", n.longValue());
            } else {
                text = String.valueOf(value);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(text));
        }
        m.appendTail(out);
        return out.toString();
    }
}
