package io.podfleet.smart;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads smartctl {@code --json} output (json_format_version 1.x; smartmontools 7.0 to 7.4) of {@code -x}, {@code -a},
 * {@code --scan} and {@code --scan-open}. Tolerant of what real devices print: any section may be missing or of an
 * unexpected type, and nothing in a well-formed JSON document makes it throw. Thread-safe.
 */
public final class SmartctlParser {

    /** ATA raw values are 48-bit, but smartctl prints some vendor attributes (Seagate 240) as 64-bit numbers. */
    private static final long MAX_RAW = Long.MAX_VALUE;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    public SmartctlOutput parse(byte[] document) throws MalformedSmartctlOutput {
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
            throw new MalformedSmartctlOutput("not well-formed JSON" + where + ": " + firstLine(e.getOriginalMessage()), e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedSmartctlOutput("not a smartctl JSON document: the top level is not an object", null);
        }
        if (!root.has("smartctl") && !root.has("device") && !root.has("devices") && !root.has("json_format_version")) {
            throw new MalformedSmartctlOutput("not a smartctl JSON document: no smartctl, device or devices section", null);
        }
        JsonNode major = root.path("json_format_version").path(0);
        if (major.isIntegralNumber() && major.asInt() != 1) {
            throw new MalformedSmartctlOutput("unsupported json_format_version " + major.asInt() + " (1.x is supported)", null);
        }
        Fields f = new Fields();
        ExitStatus exit = new ExitStatus(f.count(root.path("smartctl").path("exit_status"), "smartctl.exit_status", 0xFF)
                .orElse(0L).intValue());
        if (root.has("devices") && !root.has("device")) {
            return new DeviceScan(devices(root.path("devices")), exit);
        }
        return reading(root, exit, f);
    }

    private static DriveReading reading(JsonNode root, ExitStatus exit, Fields f) {
        List<String> messages = new ArrayList<>();
        for (JsonNode m : root.path("smartctl").path("messages")) {
            String s = text(m.path("string"));
            if (s != null) {
                messages.add(s);
            }
        }
        JsonNode dev = root.path("device");
        DriveReading.Device device = dev.isObject() ? device(dev) : null;
        DriveInterface iface = DriveInterface.fromProtocol(device == null ? null : device.protocol());
        if (iface == null && root.has("nvme_smart_health_information_log")) {
            iface = DriveInterface.NVME;
        }

        Boolean passed = bool(root.path("smart_status").path("passed"));
        Boolean supported = bool(root.path("smart_support").path("available"));
        Boolean enabled = bool(root.path("smart_support").path("enabled"));
        List<DriveReading.AtaAttribute> attributes = attributes(root.path("ata_smart_attributes").path("table"), f);
        DriveReading.NvmeHealth nvme = nvme(root.path("nvme_smart_health_information_log"), f);
        DriveReading.ScsiHealth scsi = scsi(root, f);

        Long temperature = f.count(root.path("temperature").path("current"), "temperature.current", 200).orElse(null);
        if (temperature != null && temperature == 0) {
            temperature = null; // RAID volumes and bridges print 0 for "no sensor"
        }
        Long powerOnHours = f.count(root.path("power_on_time").path("hours"), "power_on_time.hours", Long.MAX_VALUE)
                .orElse(nvme == null ? null : f.count(root.path("nvme_smart_health_information_log").path("power_on_hours"),
                        "nvme_smart_health_information_log.power_on_hours", Long.MAX_VALUE).orElse(null));
        Long powerCycles = f.count(root.path("power_cycle_count"), "power_cycle_count", Long.MAX_VALUE)
                .orElse(f.count(root.path("scsi_start_stop_cycle_counter").path("accumulated_start_stop_cycles"),
                        "scsi_start_stop_cycle_counter.accumulated_start_stop_cycles", Long.MAX_VALUE).orElse(null));

        boolean standby = messages.stream().anyMatch(m -> m.toUpperCase(Locale.ROOT).contains("STANDBY"));
        String unreadable = unreadable(exit, messages, standby, passed, attributes, nvme, scsi);

        Long capacity = f.count(root.path("user_capacity").path("bytes"), "user_capacity.bytes", Long.MAX_VALUE)
                .orElse(f.count(root.path("nvme_total_capacity"), "nvme_total_capacity", Long.MAX_VALUE).orElse(null));
        Long rotation = f.count(root.path("rotation_rate"), "rotation_rate", 100_000).orElse(null);
        return new DriveReading(device,
                text(root.path("model_family")),
                model(root),
                text(root.path("serial_number")),
                wwn(root.path("wwn")),
                firstText(root, "firmware_version", "scsi_revision", "revision"),
                capacity,
                iface,
                rotation == null ? null : rotation.intValue(),
                supported == null && (!attributes.isEmpty() || nvme != null || scsi != null) ? Boolean.TRUE : supported,
                enabled,
                passed,
                temperature == null ? null : temperature.intValue(),
                powerOnHours,
                powerCycles,
                attributes,
                nvme,
                scsi,
                selfTests(root),
                exit,
                messages,
                standby,
                unreadable,
                f.anomalies);
    }

    private static String unreadable(ExitStatus exit, List<String> messages, boolean standby, Boolean passed,
                                     List<DriveReading.AtaAttribute> attributes, DriveReading.NvmeHealth nvme,
                                     DriveReading.ScsiHealth scsi) {
        if (standby) {
            return "drive in standby, not woken (smartctl -n standby)";
        }
        boolean anyData = passed != null || !attributes.isEmpty() || nvme != null || scsi != null;
        if (exit.unreadable() && !anyData) {
            return messages.isEmpty() ? "smartctl could not open the device (" + String.join("; ", exit.describe()) + ")"
                    : messages.get(0);
        }
        if (!anyData) {
            return "no SMART data (a RAID virtual volume, or a bridge that does not pass SMART through)";
        }
        return null;
    }

    private static List<DriveReading.Device> devices(JsonNode list) {
        List<DriveReading.Device> out = new ArrayList<>();
        for (JsonNode d : list) {
            if (d.isObject() && text(d.path("name")) != null) {
                out.add(device(d));
            }
        }
        return out;
    }

    private static DriveReading.Device device(JsonNode d) {
        return new DriveReading.Device(text(d.path("name")), text(d.path("info_name")), text(d.path("type")),
                text(d.path("protocol")));
    }

    private static List<DriveReading.AtaAttribute> attributes(JsonNode table, Fields f) {
        List<DriveReading.AtaAttribute> out = new ArrayList<>();
        for (JsonNode a : table) {
            JsonNode id = a.path("id");
            if (!id.isIntegralNumber() || !id.canConvertToInt() || id.asInt() < 1 || id.asInt() > 255) {
                f.anomalies.add("ata_smart_attributes: an entry without a valid id (1-255) was ignored");
                continue;
            }
            int n = id.asInt();
            String prefix = "ata_smart_attributes[" + n + "]";
            out.add(new DriveReading.AtaAttribute(n,
                    text(a.path("name")),
                    f.small(a.path("value"), prefix + ".value"),
                    f.small(a.path("worst"), prefix + ".worst"),
                    f.small(a.path("thresh"), prefix + ".thresh"),
                    f.count(a.path("raw").path("value"), prefix + ".raw.value", MAX_RAW).orElse(null),
                    text(a.path("raw").path("string")),
                    text(a.path("when_failed")),
                    a.path("flags").path("prefailure").asBoolean(false)));
        }
        return out;
    }

    private static DriveReading.NvmeHealth nvme(JsonNode log, Fields f) {
        if (!log.isObject()) {
            return null;
        }
        String p = "nvme_smart_health_information_log.";
        return new DriveReading.NvmeHealth(
                f.small(log.path("critical_warning"), p + "critical_warning"),
                f.small(log.path("available_spare"), p + "available_spare"),
                f.small(log.path("available_spare_threshold"), p + "available_spare_threshold"),
                f.count(log.path("percentage_used"), p + "percentage_used", 255).map(Long::intValue).orElse(null),
                f.count(log.path("media_errors"), p + "media_errors", Long.MAX_VALUE).orElse(null),
                f.count(log.path("num_err_log_entries"), p + "num_err_log_entries", Long.MAX_VALUE).orElse(null),
                f.count(log.path("unsafe_shutdowns"), p + "unsafe_shutdowns", Long.MAX_VALUE).orElse(null),
                f.count(log.path("data_units_read"), p + "data_units_read", Long.MAX_VALUE).orElse(null),
                f.count(log.path("data_units_written"), p + "data_units_written", Long.MAX_VALUE).orElse(null));
    }

    private static DriveReading.ScsiHealth scsi(JsonNode root, Fields f) {
        JsonNode defects = root.path("scsi_grown_defect_list");
        JsonNode errors = root.path("scsi_error_counter_log");
        if (defects.isMissingNode() && !errors.isObject()) {
            return null;
        }
        return new DriveReading.ScsiHealth(
                f.count(defects, "scsi_grown_defect_list", Long.MAX_VALUE).orElse(null),
                f.count(errors.path("read").path("total_uncorrected_errors"), "scsi_error_counter_log.read.total_uncorrected_errors", Long.MAX_VALUE).orElse(null),
                f.count(errors.path("write").path("total_uncorrected_errors"), "scsi_error_counter_log.write.total_uncorrected_errors", Long.MAX_VALUE).orElse(null),
                f.count(errors.path("verify").path("total_uncorrected_errors"), "scsi_error_counter_log.verify.total_uncorrected_errors", Long.MAX_VALUE).orElse(null));
    }

    private static DriveReading.SelfTests selfTests(JsonNode root) {
        JsonNode log = root.path("ata_smart_self_test_log");
        JsonNode table = log.path("extended").path("table");
        if (!table.isArray()) {
            table = log.path("standard").path("table");
        }
        if (!table.isArray()) {
            table = root.path("nvme_self_test_log").path("table");
        }
        if (!table.isArray() || table.isEmpty()) {
            return null;
        }
        int failed = 0;
        for (JsonNode t : table) {
            if (t.path("status").path("passed").isBoolean() && !t.path("status").path("passed").asBoolean()) {
                failed++;
            }
        }
        JsonNode latest = table.path(0);
        JsonNode hours = latest.path("lifetime_hours");
        return new DriveReading.SelfTests(table.size(), failed, text(latest.path("status").path("string")),
                hours.isIntegralNumber() && hours.canConvertToLong() ? hours.asLong() : null);
    }

    private static String model(JsonNode root) {
        String model = firstText(root, "model_name", "scsi_model_name");
        if (model != null) {
            return model;
        }
        String vendor = firstText(root, "vendor", "scsi_vendor");
        String product = firstText(root, "product", "scsi_product");
        return product == null ? null : vendor == null ? product : vendor + " " + product;
    }

    /** NAA, OUI and id as the 16 hex digits of the 64-bit WWN (how /dev/disk/by-id names it, after "wwn-0x"). */
    private static String wwn(JsonNode w) {
        JsonNode naa = w.path("naa");
        JsonNode oui = w.path("oui");
        JsonNode id = w.path("id");
        if (!naa.isIntegralNumber() || !oui.isIntegralNumber() || !id.isIntegralNumber() || !id.canConvertToLong()) {
            return null;
        }
        long value = ((naa.asLong() & 0xF) << 60) | ((oui.asLong() & 0xFFFFFF) << 36) | (id.asLong() & 0xFFFFFFFFFL);
        return String.format("%016x", value);
    }

    private static String firstText(JsonNode root, String... names) {
        for (String name : names) {
            String s = text(root.path(name));
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    private static String text(JsonNode n) {
        if (!n.isString()) {
            return null;
        }
        String s = n.asString().trim();
        return s.isEmpty() ? null : s;
    }

    private static Boolean bool(JsonNode n) {
        return n.isBoolean() ? n.asBoolean() : null;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Reads numbers defensively, noting each one that is present but not a sane non-negative integer. */
    private static final class Fields {
        final List<String> anomalies = new ArrayList<>();

        java.util.Optional<Long> count(JsonNode n, String field, long max) {
            if (n.isMissingNode() || n.isNull()) {
                return java.util.Optional.empty();
            }
            if (n.isIntegralNumber() && n.canConvertToLong() && n.asLong() >= 0 && n.asLong() <= max) {
                return java.util.Optional.of(n.asLong());
            }
            anomalies.add(field + ": " + abbreviate(n.toString()) + " is not a plausible value; ignored");
            return java.util.Optional.empty();
        }

        Integer small(JsonNode n, String field) {
            return count(n, field, 0xFFFF).map(Long::intValue).orElse(null);
        }

        private static String abbreviate(String s) {
            return s.length() > 40 ? s.substring(0, 40) + "..." : s;
        }
    }
}
