package io.podfleet.accounting;

import io.podfleet.security.AuditLog;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Purchase records of chassis and drives, from a JSON list or a CSV file: all of a batch or none of it, each
 * refusal naming the item ({@code [3].amount}) or the line and column ({@code line 4, amount}). The batch's hosts
 * are checked in one query and its rows written as one JDBC batch.
 */
@Service
class PurchaseLedger {

    /** The largest amount {@code purchase.amount} holds (NUMERIC(14, 2)). */
    static final BigDecimal MOST = new BigDecimal("999999999999.99");

    record Purchase(String kind, Long hostId, String driveSerial, BigDecimal amount, String currency, LocalDate purchasedOn) {
    }

    /** The CSV header: {@code hostname} may stand in for {@code host_id}. */
    static final List<String> CSV_COLUMNS = List.of("kind", "host_id", "hostname", "drive_serial", "amount", "currency", "purchased_on");

    private final JdbcClient jdbc;
    private final org.springframework.jdbc.core.JdbcTemplate batch;
    private final AuditLog audit;
    private final Clock clock;

    PurchaseLedger(JdbcClient jdbc, org.springframework.jdbc.core.JdbcTemplate batch, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.audit = audit;
        this.clock = clock;
    }

    /** A purchase that passed the field rules, with where it came from for a refusal ({@code [3].}, {@code line 4, }). */
    private record Checked(Purchase purchase, String at) {
    }

    @Transactional
    int record(List<Purchase> purchases) {
        List<Checked> checked = new ArrayList<>(purchases.size());
        for (int i = 0; i < purchases.size(); i++) {
            checked.add(check(purchases.get(i), "[" + i + "]."));
        }
        write(checked);
        audit.record("purchases.record", "purchases", null, Map.of("count", purchases.size(), "from", "json"));
        return purchases.size();
    }

    @Transactional
    int recordCsv(BufferedReader in, String name) throws IOException {
        String header = in.readLine();
        if (header == null || header.isBlank()) {
            throw new AccountingProblems.InvalidField("line 1", "the file is empty; expected a header with " + String.join(",", CSV_COLUMNS));
        }
        Map<String, Integer> columns = new HashMap<>();
        List<String> names = split(header.startsWith("\uFEFF") ? header.substring(1) : header);
        for (int i = 0; i < names.size(); i++) {
            String column = names.get(i).trim().toLowerCase(Locale.ROOT);
            if (!CSV_COLUMNS.contains(column)) {
                throw new AccountingProblems.InvalidField("line 1, " + column, "unknown column; the columns are " + String.join(",", CSV_COLUMNS));
            }
            columns.put(column, i);
        }
        for (String required : List.of("kind", "amount", "currency", "purchased_on")) {
            if (!columns.containsKey(required)) {
                throw new AccountingProblems.InvalidField("line 1, " + required, "the header lacks this column");
            }
        }
        List<Checked> checked = new ArrayList<>();
        long number = 1;
        String line;
        while ((line = in.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            List<String> cells = split(line);
            String at = "line " + number + ", ";
            for (int i = 0; i < cells.size(); i++) {
                if (cells.get(i).indexOf('\0') >= 0) { // PostgreSQL cannot store it
                    throw new AccountingProblems.InvalidField(at + (i < names.size() ? names.get(i).trim().toLowerCase(Locale.ROOT) : "column " + (i + 1)),
                            "contains the NUL character");
                }
            }
            checked.add(check(purchase(cells, columns, at), at));
        }
        write(checked);
        int count = checked.size();
        audit.record("purchases.record", "purchases", null, Map.of("count", count, "from", "csv", "file", name == null ? "" : name));
        return count;
    }

    private Purchase purchase(List<String> cells, Map<String, Integer> columns, String at) {
        Long hostId = null;
        String host = cell(cells, columns, "host_id");
        if (host != null) {
            try {
                hostId = Long.parseLong(host);
            } catch (NumberFormatException e) {
                throw new AccountingProblems.InvalidField(at + "host_id", "'" + host + "' is not a host id");
            }
        }
        String hostname = cell(cells, columns, "hostname");
        if (hostId == null && hostname != null) {
            hostId = jdbc.sql("SELECT id FROM host WHERE hostname = ?").param(hostname).query(Long.class).optional()
                    .orElseThrow(() -> new AccountingProblems.InvalidField(at + "hostname", "no host is named '" + hostname + "'"));
        }
        BigDecimal amount;
        String amountText = cell(cells, columns, "amount");
        try {
            amount = amountText == null ? null : new BigDecimal(amountText);
        } catch (NumberFormatException e) {
            throw new AccountingProblems.InvalidField(at + "amount", "'" + amountText + "' is not a number");
        }
        LocalDate on;
        String onText = cell(cells, columns, "purchased_on");
        try {
            on = onText == null ? null : LocalDate.parse(onText);
        } catch (DateTimeParseException e) {
            throw new AccountingProblems.InvalidField(at + "purchased_on", "'" + onText + "' is not a date like 2026-11-30");
        }
        String kind = cell(cells, columns, "kind");
        return new Purchase(kind == null ? null : kind.toUpperCase(Locale.ROOT), hostId, cell(cells, columns, "drive_serial"),
                amount, cell(cells, columns, "currency"), on);
    }

    /** The field rules of one purchase; {@code at} prefixes the field names of a refusal. */
    private static Checked check(Purchase p, String at) {
        boolean csv = at.startsWith("line");
        if (p == null || (!"CHASSIS".equals(p.kind()) && !"DRIVE".equals(p.kind()))) {
            throw new AccountingProblems.InvalidField(at + "kind", "must be CHASSIS or DRIVE");
        }
        if ("CHASSIS".equals(p.kind()) && p.hostId() == null) {
            throw new AccountingProblems.InvalidField(at + (csv ? "host_id" : "hostId"), "a chassis purchase names an existing host");
        }
        if ("DRIVE".equals(p.kind()) && (p.driveSerial() == null || p.driveSerial().isBlank())) {
            throw new AccountingProblems.InvalidField(at + (csv ? "drive_serial" : "driveSerial"), "a drive purchase names the drive's serial");
        }
        if (p.driveSerial() != null && p.driveSerial().length() > 100) { // the column's width: longer was a 500
            throw new AccountingProblems.InvalidField(at + (csv ? "drive_serial" : "driveSerial"), "must be at most 100 characters");
        }
        if (p.amount() == null || p.amount().signum() < 0) {
            throw new AccountingProblems.InvalidField(at + "amount", "must be 0 or more");
        }
        if (p.amount().compareTo(MOST) > 0) { // the column is NUMERIC(14, 2): more was a 500 from the database
            throw new AccountingProblems.InvalidField(at + "amount", "must be at most " + MOST.toPlainString());
        }
        if (p.currency() == null || !p.currency().matches("[A-Z]{3}")) {
            throw new AccountingProblems.InvalidField(at + "currency", "must be an ISO 4217 code such as USD");
        }
        if (p.purchasedOn() == null) {
            throw new AccountingProblems.InvalidField(at + (csv ? "purchased_on" : "purchasedOn"), "is required");
        }
        return new Checked(p, at);
    }

    /** Checks the named hosts exist (one query for the batch), then inserts the batch as one JDBC batch. */
    private void write(List<Checked> checked) {
        Long[] hostIds = checked.stream().filter(c -> "CHASSIS".equals(c.purchase().kind())).map(c -> c.purchase().hostId())
                .distinct().toArray(Long[]::new);
        java.util.Set<Long> known = new java.util.HashSet<>(hostIds.length == 0 ? List.of()
                : jdbc.sql("SELECT id FROM host WHERE id = ANY(?)").param(hostIds).query(Long.class).list());
        for (Checked c : checked) {
            if ("CHASSIS".equals(c.purchase().kind()) && !known.contains(c.purchase().hostId())) {
                throw new AccountingProblems.InvalidField(c.at() + (c.at().startsWith("line") ? "host_id" : "hostId"),
                        "a chassis purchase names an existing host; there is no host " + c.purchase().hostId());
            }
        }
        Timestamp now = Timestamp.from(clock.instant());
        String actor = AuditLog.currentActor();
        batch.batchUpdate("""
                        INSERT INTO purchase (kind, host_id, drive_serial, amount, currency, purchased_on, created_at, created_by)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                checked.stream().map(c -> {
                    Purchase p = c.purchase();
                    boolean chassis = "CHASSIS".equals(p.kind());
                    return new Object[]{p.kind(), chassis ? p.hostId() : null, chassis ? null : p.driveSerial(), p.amount(),
                            p.currency(), Date.valueOf(p.purchasedOn()), now, actor};
                }).toList());
    }

    private static String cell(List<String> cells, Map<String, Integer> columns, String column) {
        Integer i = columns.get(column);
        if (i == null || i >= cells.size()) {
            return null;
        }
        String v = cells.get(i).trim();
        return v.isEmpty() ? null : v;
    }

    /** One CSV line into cells; double quotes may enclose a cell with commas ("" is a quote inside). */
    static List<String> split(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
