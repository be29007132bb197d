package io.podfleet.smart;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The real smartctl outputs in src/test/resources/smart-samples (copied from ../shared/smart-samples with MANIFEST.tsv). */
final class Samples {

    private Samples() {
    }

    static byte[] bytes(String file) {
        try (InputStream in = Samples.class.getResourceAsStream("/smart-samples/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DriveReading reading(String file) {
        try {
            return (DriveReading) new SmartctlParser().parse(bytes(file));
        } catch (MalformedSmartctlOutput e) {
            throw new AssertionError(file + " should parse", e);
        }
    }

    static final String EXOS_X16 = "prometheus-community__smartctl_exporter__testdata__sat-Seagate_Exos_X16-ST16000NM001G-2KK103-sda.json";
    static final String WD_14TB = "AnalogJ__scrutiny__webapp__backend__pkg__models__testdata__smart-ata.json";
    static final String HITACHI_FAILED = "AnalogJ__scrutiny__webapp__backend__pkg__models__testdata__smart-fail2.json";
    static final String SAS_HITACHI = "prometheus-community__smartctl_exporter__testdata__HITACHI_H109060SESUN600G_10.json";
    static final String NVME_INTEL = "AnalogJ__scrutiny__webapp__backend__pkg__models__testdata__smart-nvme.json";
    static final String ST18000 = "prometheus-community__smartctl_exporter__testdata__sat-null-ST18000NM000J-2TV103-sda.json";
}
