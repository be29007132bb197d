package io.podfleet.smart;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HealthRulesTest {

    private final HealthRules rules = new HealthRules();

    @Test
    void seagatePackedCommandTimeoutIsReadFromItsLowSixteenBits() {
        DriveReading exos = Samples.reading(Samples.EXOS_X16);
        DriveReading.AtaAttribute a188 = exos.attribute(188).orElseThrow();
        assertThat(AtaRules.count(a188, exos)).isEqualTo(12);
        assertThat(rules.judge(exos, TemperatureLimits.DEFAULT).health()).isEqualTo(Health.HEALTHY);
    }

    @Test
    void manyCommandTimeoutsStillWarnWhenPacked() {
        DriveReading exos = withRaw(Samples.reading(Samples.EXOS_X16), 188, (150L << 32) | (150L << 16) | 150L);
        Verdict v = rules.judge(exos, TemperatureLimits.DEFAULT);
        assertThat(v.health()).isEqualTo(Health.WARNING);
        assertThat(v.reasons().get(0).value()).startsWith("150 (raw ");
    }

    @Test
    void backblazeFiveEscalateWithTheCount() {
        DriveReading st = Samples.reading(Samples.ST18000);
        assertThat(rules.judge(withRaw(st, 5, 1), TemperatureLimits.DEFAULT).health()).isEqualTo(Health.WARNING);
        assertThat(rules.judge(withRaw(st, 5, 99), TemperatureLimits.DEFAULT).health()).isEqualTo(Health.WARNING);
        assertThat(rules.judge(withRaw(st, 5, 100), TemperatureLimits.DEFAULT).health()).isEqualTo(Health.FAILING);
        assertThat(rules.judge(withRaw(st, 197, 8), TemperatureLimits.DEFAULT).health()).isEqualTo(Health.WARNING);
        assertThat(rules.judge(withRaw(st, 187, 10), TemperatureLimits.DEFAULT).health()).isEqualTo(Health.FAILING);
        assertThat(rules.judge(withRaw(st, 198, 3), TemperatureLimits.DEFAULT).reasons().get(0).field())
                .isEqualTo("attribute 198 Offline_Uncorrectable");
    }

    @Test
    void perModelOverrideReplacesTheDefaultForThatModelOnly() {
        SmartThresholds lenient = SmartThresholds.DEFAULT.withOverride(new SmartThresholds.ModelOverride(
                "^ST18000", Map.of(5, new SmartThresholds.Limit(20, 500))));
        HealthRules custom = new HealthRules(lenient);
        assertThat(custom.judge(withRaw(Samples.reading(Samples.ST18000), 5, 10), TemperatureLimits.DEFAULT).health())
                .isEqualTo(Health.HEALTHY);
        assertThat(custom.judge(withRaw(Samples.reading(Samples.EXOS_X16), 5, 10), TemperatureLimits.DEFAULT).health())
                .isEqualTo(Health.WARNING);
    }

    @Test
    void temperatureIsJudgedAgainstTheProfileLimits() {
        DriveReading wd = Samples.reading(Samples.WD_14TB); // 32 C
        assertThat(rules.judge(wd, new TemperatureLimits(40, 50)).health()).isEqualTo(Health.HEALTHY);
        assertThat(rules.judge(wd, new TemperatureLimits(30, 50)).health()).isEqualTo(Health.WARNING);
        assertThat(rules.judge(wd, new TemperatureLimits(25, 32)).health()).isEqualTo(Health.FAILING);
    }

    @Test
    void nvmeSpareBelowThresholdAndWearOutAreFailing() {
        DriveReading intel = Samples.reading(Samples.NVME_INTEL);
        DriveReading.NvmeHealth n = intel.nvme();
        DriveReading lowSpare = withNvme(intel, new DriveReading.NvmeHealth(0, 5, 10, n.percentageUsed(), 0L, 0L, 0L, 0L, 0L));
        assertThat(rules.judge(lowSpare, TemperatureLimits.DEFAULT).health()).isEqualTo(Health.FAILING);
        DriveReading worn = withNvme(intel, new DriveReading.NvmeHealth(0, 100, 10, 100, 0L, 0L, 0L, 0L, 0L));
        assertThat(rules.judge(worn, TemperatureLimits.DEFAULT).health()).isEqualTo(Health.FAILING);
        DriveReading hot = withNvme(intel, new DriveReading.NvmeHealth(2, 100, 10, 3, 0L, 0L, 0L, 0L, 0L));
        assertThat(rules.judge(hot, TemperatureLimits.DEFAULT).health()).isEqualTo(Health.WARNING);
    }

    @Test
    void sasGrownDefectsAndUncorrectedErrorsCount() {
        DriveReading sas = Samples.reading(Samples.SAS_HITACHI);
        DriveReading defects = withScsi(sas, new DriveReading.ScsiHealth(3L, 0L, 0L, 0L));
        assertThat(rules.judge(defects, TemperatureLimits.DEFAULT).health()).isEqualTo(Health.WARNING);
        DriveReading uncorrected = withScsi(sas, new DriveReading.ScsiHealth(0L, 12L, 0L, 0L));
        assertThat(rules.judge(uncorrected, TemperatureLimits.DEFAULT).health()).isEqualTo(Health.FAILING);
    }

    @Test
    void failedDriveSaysWhyWorstFirst() {
        Verdict v = rules.judge(Samples.reading(Samples.HITACHI_FAILED), TemperatureLimits.DEFAULT);
        assertThat(v.health()).isEqualTo(Health.FAILED);
        assertThat(v.reasons().get(0)).isEqualTo(new Reason(Health.FAILED, "smart_status.passed", "false",
                "the drive reports SMART overall-health FAILED"));
        assertThat(v.reasons()).extracting(Reason::field).contains("attribute 5 Reallocated_Sector_Ct",
                "attribute 197 Current_Pending_Sector", "self_test_log");
    }

    static DriveReading withRaw(DriveReading r, int id, long raw) {
        List<DriveReading.AtaAttribute> attrs = new ArrayList<>();
        for (DriveReading.AtaAttribute a : r.ataAttributes()) {
            attrs.add(a.id() == id ? new DriveReading.AtaAttribute(a.id(), a.name(), a.value(), a.worst(), a.threshold(),
                    raw, Long.toString(raw), a.whenFailed(), a.prefailure()) : a);
        }
        return copy(r, attrs, r.nvme(), r.scsi());
    }

    static DriveReading withNvme(DriveReading r, DriveReading.NvmeHealth nvme) {
        return copy(r, r.ataAttributes(), nvme, r.scsi());
    }

    static DriveReading withScsi(DriveReading r, DriveReading.ScsiHealth scsi) {
        return copy(r, r.ataAttributes(), r.nvme(), scsi);
    }

    static DriveReading copy(DriveReading r, List<DriveReading.AtaAttribute> attrs, DriveReading.NvmeHealth nvme,
                             DriveReading.ScsiHealth scsi) {
        return new DriveReading(r.device(), r.modelFamily(), r.model(), r.serial(), r.wwn(), r.firmware(),
                r.capacityBytes(), r.driveInterface(), r.rotationRateRpm(), r.smartSupported(), r.smartEnabled(),
                r.smartPassed(), r.temperatureC(), r.powerOnHours(), r.powerCycles(), attrs, nvme, scsi, r.selfTests(),
                r.exitStatus(), r.messages(), r.standby(), r.unreadable(), r.anomalies());
    }
}
