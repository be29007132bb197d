package io.podfleet.accounting;

import io.podfleet.support.ServerTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.math.MathContext;

import static org.assertj.core.api.Assertions.assertThat;

/** Cost per GB from the hardware profile's prices, raised by a replaced drive, overridden by recorded purchases. */
class CostTest extends ServerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long TB4 = 4_000_000_000_000L;

    @Test
    void aPod6WithSixty4TbDrivesCostsWhatItsProfileImpliesAndAReplacedDriveAddsItsPrice() throws Exception {
        String operator = token("OPERATOR");
        var created = send("POST", "/api/v1/hosts", operator, "{\"hostname\":\"cost-pod-1\",\"profileId\":\"backblaze-pod-6.0\"}");
        long host = JSON.readTree(created.body()).path("id").asLong();
        jdbc.sql("UPDATE host SET created_at = now() - interval '40 days' WHERE id = ?").param(host).update();
        jdbc.sql("""
                INSERT INTO drive (serial, model, capacity_bytes, host_id, slot, state, verdict, first_seen_at, last_seen_at)
                SELECT 'COST-' || s, 'HGST 4TB', ?, ?, s, 'IN_SERVICE', 'HEALTHY', now() - interval '30 days', now()
                FROM generate_series(0, 59) s""").params(TB4, host).update();
        JsonNode profile = JSON.readTree(get("/api/v1/hardware-profiles/backblaze-pod-6.0", ADMIN_TOKEN).body()).path("cost");
        BigDecimal chassis = profile.path("chassis").decimalValue();
        BigDecimal perDrive = profile.path("perDrive").decimalValue();
        BigDecimal gb = BigDecimal.valueOf(60 * 4000);

        String costBody = get("/api/v1/cost/hosts/" + host, ADMIN_TOKEN).body();
        assertThat(costBody).contains("amount");
        JsonNode cost = JSON.readTree(costBody);
        BigDecimal expected = chassis.add(perDrive.multiply(BigDecimal.valueOf(60)));
        assertThat(cost.path("amount").decimalValue()).isEqualByComparingTo(expected);
        assertThat(cost.path("rawBytes").asLong()).isEqualTo(60 * TB4);
        assertThat(cost.path("perRawGb").decimalValue())
                .isEqualByComparingTo(expected.divide(gb, MathContext.DECIMAL64).setScale(6, java.math.RoundingMode.HALF_UP));
        assertThat(cost.path("perUsableGb").decimalValue().doubleValue())
                .as("usable = raw x 17/20").isCloseTo(expected.doubleValue() / 240_000 * 20 / 17, org.assertj.core.data.Offset.offset(1e-5));

        // the drive in slot 0 is replaced: the new one adds its price, capacity stays
        long old = jdbc.sql("SELECT id FROM drive WHERE serial = 'COST-0'").query(Long.class).single();
        jdbc.sql("UPDATE drive SET state = 'REPLACED' WHERE id = ?").param(old).update();
        jdbc.sql("INSERT INTO drive_event (drive_id, at, kind, from_state, to_state, reason) VALUES (?, now(), 'state', 'IN_SERVICE', 'REPLACED', 'test')")
                .param(old).update();
        jdbc.sql("""
                INSERT INTO drive (serial, model, capacity_bytes, host_id, slot, state, verdict, first_seen_at, last_seen_at)
                VALUES ('COST-NEW', 'HGST 4TB', ?, ?, 0, 'IN_SERVICE', 'HEALTHY', now(), now())""").params(TB4, host).update();
        JsonNode after = JSON.readTree(get("/api/v1/cost/hosts/" + host, ADMIN_TOKEN).body());
        assertThat(after.path("amount").decimalValue()).isEqualByComparingTo(expected.add(perDrive));
        assertThat(after.path("rawBytes").asLong()).isEqualTo(60 * TB4);

        // recorded purchases replace the defaults
        var recorded = send("POST", "/api/v1/purchases", operator, "[{\"kind\":\"CHASSIS\",\"hostId\":" + host
                + ",\"amount\":3000,\"currency\":\"USD\",\"purchasedOn\":\"2026-10-01\"},{\"kind\":\"DRIVE\",\"driveSerial\":\"COST-NEW\","
                + "\"amount\":100,\"currency\":\"USD\",\"purchasedOn\":\"2026-11-30\"}]");
        assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(201);
        JsonNode withPurchases = JSON.readTree(get("/api/v1/cost/hosts/" + host, ADMIN_TOKEN).body());
        assertThat(withPurchases.path("amount").decimalValue())
                .isEqualByComparingTo(new BigDecimal(3000).add(perDrive.multiply(BigDecimal.valueOf(60))).add(new BigDecimal(100)));
        var bad = send("POST", "/api/v1/purchases", operator, "[{\"kind\":\"DRIVE\",\"amount\":1,\"currency\":\"USD\",\"purchasedOn\":\"2026-11-30\"}]");
        assertThat(JSON.readTree(bad.body()).path("field").asString()).isEqualTo("[0].driveSerial");

        JsonNode months = JSON.readTree(get("/api/v1/cost/profiles/backblaze-pod-6.0/monthly?from=2026-09&to=2026-11", ADMIN_TOKEN).body());
        assertThat(months).hasSize(3);
        assertThat(months.get(0).path("cost").path("rawBytes").asLong()).as("no host yet in September").isZero();
        assertThat(months.get(2).path("cost").path("rawBytes").asLong()).isEqualTo(60 * TB4);
        assertThat(get("/api/v1/cost/fleet", ADMIN_TOKEN).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/api/v1/purchases", token("VIEWER"), "[]").statusCode()).isEqualTo(403);
    }

    @Test
    void purchasesImportFromACsvFileAllOrNothingWithTheLineAndColumnOfARefusal() throws Exception {
        String operator = token("OPERATOR");
        long host = JSON.readTree(send("POST", "/api/v1/hosts", operator,
                "{\"hostname\":\"cost-csv-1\",\"profileId\":\"backblaze-pod-6.0\"}").body()).path("id").asLong();
        long before = jdbc.sql("SELECT count(*) FROM purchase").query(Long.class).single();
        String good = """
                kind,hostname,drive_serial,amount,currency,purchased_on
                chassis,"cost-csv-1",,3100.00,USD,2026-10-01
                DRIVE,,CSV-D1,110.50,USD,2026-10-02
                DRIVE,,CSV-D2,110.50,USD,2026-10-02
                """;
        String bad = good + "DRIVE,,CSV-D3,-5,USD,2026-10-03\n";
        HttpResponse<String> refused = csv("/api/v1/purchases", operator, bad);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).path("field").asString()).isEqualTo("line 5, amount");
        assertThat(jdbc.sql("SELECT count(*) FROM purchase").query(Long.class).single()).as("nothing of the refused file").isEqualTo(before);
        assertThat(JSON.readTree(csv("/api/v1/purchases", operator, "kind,colour\n").body()).path("field").asString())
                .isEqualTo("line 1, colour");
        HttpResponse<String> noHost = csv("/api/v1/purchases", operator,
                "kind,host_id,drive_serial,amount,currency,purchased_on\nDRIVE,,X1,1,USD,2026-10-03\nCHASSIS,999999,,1,USD,2026-10-03\n");
        assertThat(JSON.readTree(noHost.body()).path("field").asString()).as(noHost.body()).isEqualTo("line 3, host_id");
        assertThat(jdbc.sql("SELECT count(*) FROM purchase").query(Long.class).single()).as("the valid line before it neither").isEqualTo(before);

        HttpResponse<String> nul = csv("/api/v1/purchases", operator,
                "kind,drive_serial,amount,currency,purchased_on\nDRIVE,X\0Y,1,USD,2026-10-03\n");
        assertThat(nul.statusCode()).as(nul.body()).isEqualTo(400);
        assertThat(JSON.readTree(nul.body()).path("field").asString()).as("PostgreSQL cannot store a NUL").isEqualTo("line 2, drive_serial");
        assertThat(jdbc.sql("SELECT count(*) FROM purchase").query(Long.class).single()).isEqualTo(before);

        for (String amount : new String[]{"1e400", "1000000000000"}) { // more than the column holds: was a 500
            HttpResponse<String> huge = send("POST", "/api/v1/purchases", operator, "[{\"kind\":\"DRIVE\",\"driveSerial\":\"H1\","
                    + "\"amount\":" + amount + ",\"currency\":\"USD\",\"purchasedOn\":\"2026-10-03\"}]");
            assertThat(huge.statusCode()).as(huge.body()).isEqualTo(400);
            assertThat(JSON.readTree(huge.body()).path("field").asString()).isEqualTo("[0].amount");
        }
        HttpResponse<String> longSerial = csv("/api/v1/purchases", operator,
                "kind,drive_serial,amount,currency,purchased_on\nDRIVE," + "S".repeat(101) + ",1,USD,2026-10-03\n");
        assertThat(longSerial.statusCode()).as(longSerial.body()).isEqualTo(400);
        assertThat(JSON.readTree(longSerial.body()).path("field").asString()).isEqualTo("line 2, drive_serial");
        assertThat(jdbc.sql("SELECT count(*) FROM purchase").query(Long.class).single()).isEqualTo(before);

        HttpResponse<String> recorded = csv("/api/v1/purchases", operator, good);
        assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(201);
        assertThat(JSON.readTree(recorded.body()).path("recorded").asInt()).isEqualTo(3);
        assertThat(jdbc.sql("SELECT amount FROM purchase WHERE host_id = ?").param(host).query(BigDecimal.class).single())
                .isEqualByComparingTo("3100.00");
        HttpResponse<String> form = upload("/api/v1/purchases", operator, "file",
                java.util.Map.of("more.csv", "kind,drive_serial,amount,currency,purchased_on\nDRIVE,CSV-D4,99,USD,2026-11-01\n"));
        assertThat(form.statusCode()).as(form.body()).isEqualTo(201);
        assertThat(jdbc.sql("SELECT count(*) FROM purchase").query(Long.class).single()).isEqualTo(before + 4);
        assertThat(csv("/api/v1/purchases", token("VIEWER"), good).statusCode()).isEqualTo(403);
    }

    private HttpResponse<String> csv(String path, String token, String body) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(url(path))
                .header("Content-Type", "text/csv").header("Authorization", "Bearer " + token)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
