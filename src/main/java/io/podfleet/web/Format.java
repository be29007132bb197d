package io.podfleet.web;

import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Numbers and times as an SRE reads them, for the templates ({@code ${@fmt.bytes(x)}}). Decimal units, as drives are sold. */
@Component("fmt")
public class Format {

    private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB", "PB", "EB"};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final java.time.Clock clock;

    Format(java.time.Clock clock) {
        this.clock = clock;
    }

    public String bytes(Long bytes) {
        if (bytes == null) {
            return "–";
        }
        double v = bytes;
        int u = 0;
        while (Math.abs(v) >= 1000 && u < UNITS.length - 1) {
            v /= 1000;
            u++;
        }
        return (u == 0 ? String.valueOf(bytes) : String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.1f", v)) + " " + UNITS[u];
    }

    public String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", fraction * 100);
    }

    public String number(Number n) {
        return n == null ? "–" : String.format(Locale.ROOT, "%,d", n.longValue());
    }

    public String decimal(Number n, int places) {
        return n == null ? "–" : String.format(Locale.ROOT, "%." + places + "f", n.doubleValue());
    }

    public String time(Instant at) {
        return at == null ? "never" : TIME.format(at);
    }

    /** "42 s ago", "3 min ago", "5 h ago", "2 d ago". */
    public String ago(Instant at) {
        if (at == null) {
            return "never";
        }
        long s = Math.max(0, Duration.between(at, clock.instant()).toSeconds());
        return s < 120 ? s + " s ago" : s < 7200 ? s / 60 + " min ago" : s < 172_800 ? s / 3600 + " h ago" : s / 86_400 + " d ago";
    }

    public String uptime(Long seconds) {
        if (seconds == null) {
            return "–";
        }
        return seconds / 86_400 + " d " + seconds % 86_400 / 3600 + " h";
    }
}
