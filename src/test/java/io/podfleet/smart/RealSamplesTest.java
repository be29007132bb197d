package io.podfleet.smart;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every real smartctl output we have parses, with its identity and verdict as an SRE reading it would judge. */
class RealSamplesTest {

    @ParameterizedTest(name = "{0}: {1} {2} -> {5}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            smart-ata-failed-scrutiny.json | Samsung SSD 840 Series | S14LNEACC02756X | 500107862016 | ATA | HEALTHY
            smart-ata-full.json | Samsung SSD 860 EVO 500GB | S3YZNB0KB00864E | 500107862016 | ATA | HEALTHY
            smart-ata.json | WDC WD140EDFZ-11A0VA0 | 9RK1XXXX | 14000519643136 | ATA | HEALTHY
            smart-fail.json | null | null | null | null | UNKNOWN
            smart-fail2.json | Hitachi HDS721050DLE630 | MSK423Y20S3HBC | 500107862016 | ATA | FAILED
            smart-megaraid0.json | WD4000FYYX | XXXXXXXXXXXX | 4000787030016 | ATA | HEALTHY
            smart-nvme-failed.json | Samsung SSD 970 EVO 500GB | S466NX0M776250H | 500107862016 | NVME | WARNING
            smart-nvme.json | INTEL SSDPEKNW010T8 | BTNH93710FS91P0B | 1024209543168 | NVME | HEALTHY
            smart-raid.json | Intel Raid 1 Volume | Volume1 | 1000202043392 | SCSI | UNKNOWN
            HITACHI_H109060SESUN600G_10.json | HITACHI H109060SESUN600G | REDACTED | 600127266816 | SCSI | HEALTHY
            megaraid_1-null-TOSHIBA_MG08SCA16TEY-0.json | TOSHIBA MG08SCA16TEY | REDACTED | 16000900661248 | SCSI | HEALTHY
            nvme-null-SAMSUNG_MZWLL3T2HAJQ-00005-nvme0.json | SAMSUNG MZWLL3T2HAJQ-00005 | REDACTED | 3200631791616 | NVME | FAILED
            sat-Seagate_Exos_X16-ST16000NM001G-2KK103-sda.json | ST16000NM001G-2KK103 | REDACTED | 16000900661248 | ATA | HEALTHY
            sat-Western_Digital_Ultrastar_DC_HC550-WDC__WUH721816ALE6L4-sdx.json | WDC  WUH721816ALE6L4 | REDACTED | 16000900661248 | ATA | HEALTHY
            sat-null-ST18000NM000J-2TV103-sda.json | ST18000NM000J-2TV103 | REDACTED | 18000207937536 | ATA | HEALTHY
            sat_megaraid_0-null-MZ7KH480HAHQ0D3-0.json | MZ7KH480HAHQ0D3 | REDACTED | 480103981056 | ATA | HEALTHY
            """)
    void driveSampleParsesAndIsJudged(String suffix, String model, String serial, Long capacity, DriveInterface iface,
                                      Health verdict) throws Exception {
        DriveReading r = (DriveReading) new SmartctlParser().parse(Samples.bytes(file(suffix)));
        assertThat(r.model()).isEqualTo(model);
        assertThat(r.serial()).isEqualTo(serial);
        assertThat(r.capacityBytes()).isEqualTo(capacity);
        assertThat(r.driveInterface()).isEqualTo(iface);
        assertThat(new HealthRules().judge(r, TemperatureLimits.DEFAULT).health()).isEqualTo(verdict);
    }

    @ParameterizedTest(name = "{0}: {1} devices")
    @CsvSource(delimiter = '|', textBlock = """
            smartctl_scan_simple.json | 7 | /dev/sda | scsi
            smartctl_scan_megaraid.json | 2 | /dev/bus/0 | megaraid,0
            smartctl_scan_nvme.json | 1 | /dev/nvme0 | nvme
            """)
    void scanSampleListsDevices(String suffix, int count, String firstName, String firstType) throws Exception {
        DeviceScan scan = (DeviceScan) new SmartctlParser().parse(Samples.bytes(file(suffix)));
        assertThat(scan.devices()).hasSize(count);
        assertThat(scan.devices().get(0).name()).isEqualTo(firstName);
        assertThat(scan.devices().get(0).type()).isEqualTo(firstType);
    }

    @org.junit.jupiter.api.Test
    void everySampleInTheManifestIsCoveredByATableAbove() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/smart-samples/MANIFEST.tsv")) {
            List<String> files = Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                    .skip(1).filter(l -> !l.isBlank()).map(l -> l.split("\t")[0]).toList();
            assertThat(files).hasSize(19);
            for (String f : files) {
                assertThat(Samples.bytes(f)).as(f).isNotEmpty();
                assertThat(new SmartctlParser().parse(Samples.bytes(f))).as(f).isNotNull();
            }
        } catch (MalformedSmartctlOutput e) {
            throw new AssertionError(e);
        }
    }

    @org.junit.jupiter.api.Test
    void realReadingsCarryTheFiguresOperatorsChart() {
        DriveReading exos = Samples.reading(Samples.EXOS_X16);
        assertThat(exos.powerOnHours()).isEqualTo(13114);
        assertThat(exos.temperatureC()).isEqualTo(26);
        assertThat(exos.attribute(188).orElseThrow().raw()).isEqualTo(51540393996L);
        DriveReading wd = Samples.reading(Samples.WD_14TB);
        assertThat(wd.wwn()).matches("[0-9a-f]{16}");
        assertThat(wd.rotationRateRpm()).isEqualTo(5400);
        assertThat(wd.selfTests().failed()).isZero();
        DriveReading failed = Samples.reading(Samples.HITACHI_FAILED);
        assertThat(failed.exitStatus().value()).isEqualTo(216);
        assertThat(failed.exitStatus().diskFailing()).isTrue();
        assertThat(failed.selfTests().failed()).isEqualTo(3);
        assertThat(failed.attribute(5).orElseThrow().whenFailed()).isEqualTo("now");
        DriveReading sas = Samples.reading(Samples.SAS_HITACHI);
        assertThat(sas.scsi().grownDefects()).isZero();
        assertThat(sas.scsi().readUncorrected()).isZero();
        assertThat(Samples.reading(Samples.NVME_INTEL).nvme().availableSpare()).isEqualTo(100);
    }

    private static String file(String suffix) {
        String prefix = suffix.startsWith("smart") && !suffix.startsWith("smartctl_scan")
                ? "AnalogJ__scrutiny__webapp__backend__pkg__models__testdata__"
                : suffix.startsWith("smartctl_scan") ? "AnalogJ__scrutiny__collector__pkg__detect__testdata__"
                : "prometheus-community__smartctl_exporter__testdata__";
        return prefix + suffix;
    }
}
