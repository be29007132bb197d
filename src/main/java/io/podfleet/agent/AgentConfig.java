package io.podfleet.agent;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The agent's settings: a YAML file ({@code --config}), then command-line flags, which win. Every field has a
 * default except the server URL and a credential (an enrollment token or a credential file written by an earlier
 * enrollment). The format is documented in docs/agent.md.
 */
record AgentConfig(
        URI server,
        String enrollmentToken,
        Path credentialFile,
        String profile,
        Duration heartbeatInterval,
        Duration reportInterval,
        Path spool,
        long spoolMaxBytes,
        String smartctl,
        String deviceType,
        List<String> smartctlArgs,
        Duration smartctlTimeout,
        int smartctlParallelism,
        Path sysfsRoot,
        Path devRoot,
        String shardMountPattern,
        Path caFile,
        Duration requestTimeout,
        String hostname) {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Flags that take no value. */
    static final List<String> SWITCHES = List.of("--once", "--print", "--debug");

    private static final List<String> KEYS = List.of("server", "enrollment-token", "credential-file", "profile",
            "heartbeat-interval", "report-interval", "spool", "spool-max-bytes", "smartctl", "device-type",
            "smartctl-args", "smartctl-timeout", "smartctl-parallelism", "sysfs-root", "dev-root",
            "shard-mount-pattern", "ca-file", "request-timeout", "hostname");

    static AgentConfig load(List<String> args) throws IOException {
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        Map<String, String> flags = flags(args);
        String file = flags.remove("config");
        if (file != null) {
            Map<?, ?> yaml = YAML.readValue(Files.readAllBytes(Path.of(file)), Map.class);
            if (yaml != null) {
                yaml.forEach((k, v) -> values.put(k.toString(), v));
            }
        }
        values.putAll(flags);
        for (String key : values.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown setting '" + key + "' (see docs/agent.md)");
            }
        }
        Settings v = new Settings(values);
        return new AgentConfig(
                v.get("server", null, s -> URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s)),
                v.get("enrollment-token", null, s -> s),
                v.get("credential-file", Path.of("/var/lib/podfleet-agent/credential.json"), Path::of),
                v.get("profile", null, s -> s),
                v.get("heartbeat-interval", Duration.ofSeconds(30), AgentConfig::duration),
                v.get("report-interval", Duration.ofMinutes(15), AgentConfig::duration),
                v.get("spool", Path.of("/var/lib/podfleet-agent/spool"), Path::of),
                v.get("spool-max-bytes", 256L * 1024 * 1024, AgentConfig::bytes),
                v.get("smartctl", "smartctl", s -> s),
                v.get("device-type", null, s -> s),
                list(values.get("smartctl-args")),
                v.get("smartctl-timeout", Duration.ofSeconds(20), AgentConfig::duration),
                v.get("smartctl-parallelism", 16, AgentConfig::positive),
                v.get("sysfs-root", Path.of("/sys"), Path::of),
                v.get("dev-root", Path.of("/dev"), Path::of),
                v.get("shard-mount-pattern", "/srv/podfleet/tome{slot:02d}", s -> s),
                v.get("ca-file", null, Path::of),
                v.get("request-timeout", Duration.ofSeconds(30), AgentConfig::duration),
                v.get("hostname", null, s -> s));
    }

    /** Reads one setting, naming it in the error when its value does not parse. */
    private record Settings(Map<String, Object> values) {
        <T> T get(String key, T fallback, java.util.function.Function<String, T> parse) {
            Object raw = values.get(key);
            if (raw == null || raw.toString().isBlank()) {
                return fallback;
            }
            try {
                return parse.apply(raw.toString().trim());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(key + ": '" + raw + "' is not valid: " + e.getMessage(), e);
            }
        }
    }

    private static Map<String, String> flags(List<String> args) {
        Map<String, String> flags = new java.util.LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (SWITCHES.contains(a)) {
                continue;
            }
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            flags.put(name, value);
        }
        return flags;
    }

    static Duration duration(String v) {
        return Durations.parse(v);
    }

    /** "256MiB", "1GiB", "1048576". */
    static long bytes(String v) {
        String s = v.trim();
        long unit = s.endsWith("GiB") ? 1L << 30 : s.endsWith("MiB") ? 1L << 20 : s.endsWith("KiB") ? 1L << 10 : 1;
        return Long.parseLong(s.replaceAll("[A-Za-z]+$", "")) * unit;
    }

    private static int positive(String v) {
        int n = Integer.parseInt(v);
        if (n < 1) {
            throw new IllegalArgumentException("must be at least 1");
        }
        return n;
    }

    private static List<String> list(Object raw) {
        if (raw instanceof List<?> l) {
            List<String> out = new ArrayList<>();
            l.forEach(o -> out.add(o.toString()));
            return out;
        }
        return raw == null || raw.toString().isBlank() ? List.of() : List.of(raw.toString().trim().split("\\s+"));
    }

    /** The mount point of a slot's shard, e.g. pattern /srv/podfleet/tome{slot:02d} and slot 7 -> /srv/podfleet/tome07. */
    String shardMountPoint(int slot) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{slot(?::0?(\\d+)d)?}").matcher(shardMountPattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String width = m.group(1);
            m.appendReplacement(out, width == null ? Integer.toString(slot) : String.format("%0" + width + "d", slot));
        }
        m.appendTail(out);
        return out.toString();
    }
}
