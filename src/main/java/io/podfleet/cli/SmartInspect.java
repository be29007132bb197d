package io.podfleet.cli;

import io.podfleet.smart.DeviceScan;
import io.podfleet.smart.DriveReading;
import io.podfleet.smart.HealthRules;
import io.podfleet.smart.MalformedSmartctlOutput;
import io.podfleet.smart.Reason;
import io.podfleet.smart.SmartctlOutput;
import io.podfleet.smart.SmartctlParser;
import io.podfleet.smart.TemperatureLimits;
import io.podfleet.smart.Verdict;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code podfleet smart inspect FILE...}: one JSON line per file with the drive's identity and verdict. */
final class SmartInspect {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SmartInspect() {
    }

    static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        if (args.length == 0 || !args[0].equals("inspect") || List.of(args).contains("--help") || List.of(args).contains("-h")) {
            usage(args.length > 0 && args[0].equals("inspect") || List.of(args).contains("--help") ? out : err);
            return List.of(args).contains("--help") || List.of(args).contains("-h") ? 0 : 2;
        }
        int warn = TemperatureLimits.DEFAULT.warnC();
        int critical = TemperatureLimits.DEFAULT.criticalC();
        List<String> files = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--temp-warn" -> warn = Integer.parseInt(value(args, ++i, "--temp-warn"));
                case "--temp-critical" -> critical = Integer.parseInt(value(args, ++i, "--temp-critical"));
                default -> files.add(args[i]);
            }
        }
        if (files.isEmpty()) {
            err.println("podfleet smart inspect: name at least one file (or - for standard input)");
            return 2;
        }
        TemperatureLimits limits = new TemperatureLimits(warn, critical);
        SmartctlParser parser = new SmartctlParser();
        HealthRules rules = new HealthRules();
        boolean allRead = true;
        for (String file : files) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("file", file);
            try {
                byte[] bytes = file.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(file));
                describe(parser.parse(bytes), rules, limits, line);
            } catch (IOException e) {
                allRead = false;
                line.put("ok", false);
                line.put("error", "cannot read the file: " + e.getMessage());
            } catch (MalformedSmartctlOutput e) {
                allRead = false;
                line.put("ok", false);
                line.put("error", e.getMessage());
            }
            out.println(JSON.writeValueAsString(line));
        }
        return allRead ? 0 : 1;
    }

    private static void describe(SmartctlOutput output, HealthRules rules, TemperatureLimits limits, Map<String, Object> line) {
        line.put("ok", true);
        line.put("error", null);
        if (output instanceof DeviceScan scan) {
            line.put("kind", "scan");
            line.put("devices", scan.devices().stream().map(d -> device(d)).toList());
            line.put("exit_status", scan.exitStatus().value());
            return;
        }
        DriveReading r = (DriveReading) output;
        Verdict verdict = rules.judge(r, limits);
        line.put("kind", "drive");
        line.put("device", r.device() == null ? null : device(r.device()));
        line.put("model", r.model());
        line.put("serial", r.serial());
        line.put("firmware", r.firmware());
        line.put("capacity_bytes", r.capacityBytes());
        line.put("interface", r.driveInterface());
        line.put("smart_passed", r.smartPassed());
        line.put("temperature_c", r.temperatureC());
        line.put("power_on_hours", r.powerOnHours());
        line.put("exit_status", r.exitStatus().value());
        line.put("verdict", verdict.health());
        line.put("reasons", verdict.reasons().stream().map(SmartInspect::reason).toList());
    }

    private static Map<String, Object> device(DriveReading.Device d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("type", d.type());
        m.put("protocol", d.protocol());
        return m;
    }

    private static Map<String, Object> reason(Reason r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("severity", r.severity());
        m.put("field", r.field());
        m.put("value", r.value());
        m.put("rule", r.rule());
        return m;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static void usage(PrintStream out) {
        out.println("""
                Usage: java -jar podfleet.jar smart inspect [--temp-warn C] [--temp-critical C] FILE...

                Parses smartctl --json output (smartctl -x -j, -a -j, --scan -j, --scan-open -j) and prints one JSON
                object per file, one per line: the drive's identity, SMART status, temperature, power-on hours,
                smartctl's exit status, and Podfleet's verdict (HEALTHY, UNKNOWN, WARNING, FAILING, FAILED) with the
                reasons for it. A scan prints "kind":"scan" and its devices. FILE - reads standard input:

                  smartctl -x -j /dev/sda | java -jar podfleet.jar smart inspect -

                Options:
                  --temp-warn C       drive temperature that makes a drive WARNING (default 45)
                  --temp-critical C   drive temperature that makes a drive FAILING (default 55)

                Exit status: 0 when every file was read, 1 when any could not be read or parsed, 2 on a usage error.
                """);
    }
}
