package io.podfleet.accounting;

import io.podfleet.simulate.Simulator;
import io.podfleet.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.LocalDate;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** The fleet's drives become Drive Stats days: vault, pod, slot, SMART pairs, and the failure on its day. */
class DriveStatsSnapshotTest extends ServerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private DriveStatsSnapshot snapshot;

    @Test
    void todaysSnapshotHoldsEveryDriveWithItsPlaceAndTheOneThatFailedToday() throws Exception {
        String operator = token("OPERATOR");
        Simulator hosts = simulatedHosts(operator, "ds", 3, 4);
        assertThat(send("POST", "/api/v1/vaults", operator, "{\"id\":1300,\"cluster\":2,\"dataShards\":2,\"parityShards\":1,\"hosts\":["
                + hosts.hostId(0) + "," + hosts.hostId(1) + "," + hosts.hostId(2) + "]}").statusCode()).isEqualTo(201);
        hosts.failDrive(1, 3);
        hosts.reportAll();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);

        assertThat(snapshot.snapshot(today)).isEqualTo(12);
        assertThat(snapshot.snapshot(today)).as("running it again gives the same rows").isEqualTo(12);
        assertThat(jdbc.sql("SELECT count(*) FROM drive_day WHERE day = ? AND source = 'fleet'").param(java.sql.Date.valueOf(today))
                .query(Long.class).single()).isEqualTo(12);
        var failed = jdbc.sql("SELECT vault_id, cluster_id, pod_id, pod_slot_num, smart->'5'->>1 FROM drive_day WHERE failure AND day = ?")
                .param(java.sql.Date.valueOf(today)).query().listOfRows();
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0)).containsEntry("vault_id", 1300).containsEntry("cluster_id", 2).containsEntry("pod_id", 1)
                .containsEntry("pod_slot_num", 3);

        JsonNode afr = JSON.readTree(get("/api/v1/drive-stats/afr?from=" + today + "&to=" + today, ADMIN_TOKEN).body());
        long failures = 0;
        long days = 0;
        for (JsonNode item : afr.path("items")) {
            failures += item.path("failures").asLong();
            days += item.path("driveDays").asLong();
        }
        assertThat(failures).isEqualTo(1);
        assertThat(days).isEqualTo(12);
    }
}
