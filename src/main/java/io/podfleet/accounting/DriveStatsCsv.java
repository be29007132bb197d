package io.podfleet.accounting;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The public Drive Stats CSV schema, 2013-era and newer: {@code date, serial_number, model, capacity_bytes, failure},
 * optionally {@code datacenter, cluster_id, vault_id, pod_id, pod_slot_num, is_legacy_format}, then
 * {@code smart_N_normalized, smart_N_raw} pairs. Columns are found by name, so either schema (and any order) reads.
 * Pure: a header, then one line at a time.
 */
final class DriveStatsCsv {

    /** One drive on one day. {@code smart} maps attribute id to {normalized, raw}, either null when empty. */
    record DriveDay(LocalDate day, String serial, String model, Long capacityBytes, boolean failure, String datacenter,
                    Integer clusterId, Integer vaultId, Integer podId, Integer podSlot, Map<Integer, Long[]> smart) {
    }

    /** A line that breaks the schema: its number (the header is line 1), the column, why. */
    static final class BadRow extends Exception {
        final long line;
        final String column;

        BadRow(long line, String column, String detail) {
            super("line " + line + (column == null ? "" : ", column " + column) + ": " + detail);
            this.line = line;
            this.column = column;
        }
    }

    private static final List<String> REQUIRED = List.of("date", "serial_number", "model", "capacity_bytes", "failure");

    private final Map<String, Integer> columns = new HashMap<>();
    private final Map<Integer, int[]> smartColumns = new TreeMap<>(); // id -> {normalized index, raw index}
    private final int width;
    private final String[] header;

    DriveStatsCsv(String header) throws BadRow {
        String[] names = header.trim().split(",", -1);
        this.header = names;
        width = names.length;
        for (int i = 0; i < names.length; i++) {
            String name = names[i].trim().toLowerCase(java.util.Locale.ROOT);
            columns.put(name, i);
            if (name.startsWith("smart_") && (name.endsWith("_normalized") || name.endsWith("_raw"))) {
                String id = name.substring(6, name.lastIndexOf('_'));
                try {
                    int[] pair = smartColumns.computeIfAbsent(Integer.parseInt(id), k -> new int[]{-1, -1});
                    pair[name.endsWith("_raw") ? 1 : 0] = i;
                } catch (NumberFormatException e) {
                    throw new BadRow(1, name, "is not a smart_N_normalized or smart_N_raw column");
                }
            }
        }
        for (String r : REQUIRED) {
            if (!columns.containsKey(r)) {
                throw new BadRow(1, r, "the header lacks this column; found " + String.join(",", names));
            }
        }
    }

    DriveDay row(String line, long number) throws BadRow {
        String[] f = line.split(",", -1);
        if (f.length != width) {
            throw new BadRow(number, null, "has " + f.length + " fields, the header has " + width);
        }
        for (int i = 0; i < f.length; i++) {
            if (f[i].indexOf('\0') >= 0) { // PostgreSQL cannot store it
                throw new BadRow(number, header[i], "contains the NUL character");
            }
        }
        LocalDate day;
        try {
            day = LocalDate.parse(get(f, "date"));
        } catch (DateTimeParseException e) {
            throw new BadRow(number, "date", "'" + get(f, "date") + "' is not a date (YYYY-MM-DD)");
        }
        String serial = get(f, "serial_number");
        if (serial == null) {
            throw new BadRow(number, "serial_number", "is empty");
        }
        String model = get(f, "model");
        if (model == null) {
            throw new BadRow(number, "model", "is empty");
        }
        longest(number, "serial_number", serial, 100); // the columns' widths: longer was a 500 from the database
        longest(number, "model", model, 100);
        longest(number, "datacenter", get(f, "datacenter"), 64);
        String failure = get(f, "failure");
        if (!"0".equals(failure) && !"1".equals(failure)) {
            throw new BadRow(number, "failure", "'" + failure + "' is not 0 or 1");
        }
        Map<Integer, Long[]> smart = new TreeMap<>();
        for (Map.Entry<Integer, int[]> e : smartColumns.entrySet()) {
            // the column's name is only needed in a refusal: made there, not for each of ~2 million cells of a day
            Long normalized = number(f, e.getValue()[0], null, number);
            Long raw = number(f, e.getValue()[1], null, number);
            if (normalized != null || raw != null) {
                smart.put(e.getKey(), new Long[]{normalized, raw});
            }
        }
        return new DriveDay(day, serial, model, number(f, columns.get("capacity_bytes"), "capacity_bytes", number),
                "1".equals(failure), get(f, "datacenter"), integer(f, "cluster_id", number), integer(f, "vault_id", number),
                integer(f, "pod_id", number), integer(f, "pod_slot_num", number), smart);
    }

    private String get(String[] f, String column) {
        Integer i = columns.get(column);
        if (i == null) {
            return null;
        }
        String v = f[i].trim();
        return v.isEmpty() ? null : v;
    }

    private static void longest(long line, String column, String value, int longest) throws BadRow {
        if (value != null && value.length() > longest) {
            throw new BadRow(line, column, "is longer than " + longest + " characters");
        }
    }

    private Integer integer(String[] f, String column, long line) throws BadRow {
        Long v = number(f, columns.getOrDefault(column, -1), column, line);
        if (v != null && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
            throw new BadRow(line, column, "'" + v + "' is out of range");
        }
        return v == null ? null : v.intValue();
    }

    private Long number(String[] f, int index, String column, long line) throws BadRow {
        if (index < 0) {
            return null;
        }
        String v = f[index].trim();
        if (v.isEmpty()) {
            return null;
        }
        try {
            return v.contains(".") ? (long) Double.parseDouble(v) : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new BadRow(line, column == null ? header[index] : column, "'" + v + "' is not a number");
        }
    }

    static List<String> required() {
        return new ArrayList<>(REQUIRED);
    }
}
