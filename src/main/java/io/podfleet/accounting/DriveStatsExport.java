package io.podfleet.accounting;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.Writer;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;

/**
 * Writes a day of drive days in the public Drive Stats CSV schema (the newer one): {@code date, serial_number, model,
 * capacity_bytes, failure, datacenter, cluster_id, vault_id, pod_id, pod_slot_num, is_legacy_format}, then
 * {@code smart_N_normalized, smart_N_raw} for every attribute any drive of that day reported, so existing notebooks
 * read it unchanged. Rows are streamed from the database in serial order.
 */
@Component
class DriveStatsExport {

    /**
     * The SMART columns of the public files since 2019 (and of the 2013 ones): always written, empty where no drive
     * reported them, so a notebook that selects one by name finds it. Attributes beyond these are added as found.
     */
    private static final List<Integer> PUBLIC_COLUMNS = List.of(1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 15, 16, 17, 18, 22, 23,
            24, 168, 170, 173, 174, 177, 179, 181, 182, 183, 184, 187, 188, 189, 190, 191, 192, 193, 194, 195, 196, 197, 198,
            199, 200, 201, 218, 220, 222, 223, 224, 225, 226, 231, 232, 233, 235, 240, 241, 242, 250, 251, 252, 254, 255);

    private final JdbcClient jdbc;
    private final JsonMapper json;

    DriveStatsExport(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Writes the day; returns the number of drive rows. */
    long write(LocalDate day, Writer out) throws IOException {
        Date date = Date.valueOf(day);
        java.util.TreeSet<Integer> found = new java.util.TreeSet<>(PUBLIC_COLUMNS);
        found.addAll(jdbc.sql("""
                        SELECT DISTINCT k::int FROM drive_day, jsonb_object_keys(COALESCE(smart, '{}'::jsonb)) k WHERE day = ?""")
                .param(date).query(Integer.class).list());
        List<Integer> ids = List.copyOf(found);
        StringBuilder header = new StringBuilder("date,serial_number,model,capacity_bytes,failure,datacenter,cluster_id,vault_id,"
                + "pod_id,pod_slot_num,is_legacy_format");
        ids.forEach(id -> header.append(",smart_").append(id).append("_normalized,smart_").append(id).append("_raw"));
        out.write(header.append('\n').toString());
        long[] rows = {0};
        jdbc.sql("""
                        SELECT serial, model, capacity_bytes, failure, datacenter, cluster_id, vault_id, pod_id, pod_slot_num,
                          smart::text FROM drive_day WHERE day = ? ORDER BY serial""")
                .param(date)
                .query(rs -> {
                    StringBuilder b = new StringBuilder(256);
                    b.append(day).append(',').append(rs.getString(1)).append(',').append(rs.getString(2)).append(',');
                    append(b, rs.getObject(3)).append(',').append(rs.getBoolean(4) ? '1' : '0').append(',');
                    append(b, rs.getString(5)).append(',');
                    append(b, rs.getObject(6)).append(',');
                    append(b, rs.getObject(7)).append(',');
                    append(b, rs.getObject(8)).append(',');
                    append(b, rs.getObject(9)).append(",0");
                    String smart = rs.getString(10);
                    JsonNode pairs = smart == null ? null : json.readTree(smart);
                    for (int id : ids) {
                        JsonNode pair = pairs == null ? null : pairs.get(Integer.toString(id));
                        b.append(',').append(number(pair, 0)).append(',').append(number(pair, 1));
                    }
                    try {
                        out.write(b.append('\n').toString());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    rows[0]++;
                });
        out.flush();
        return rows[0];
    }

    private static StringBuilder append(StringBuilder b, Object value) {
        return value == null ? b : b.append(value);
    }

    private static String number(JsonNode pair, int index) {
        if (pair == null || pair.get(index) == null || pair.get(index).isNull()) {
            return "";
        }
        return pair.get(index).asString();
    }
}
