package io.podfleet.web;

import io.podfleet.fleet.HardwareProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The chassis drawing follows the profile's layout: rows x columns, slots numbered along rows or down columns. */
class ChassisDrawingTest {

    @Test
    void rowMajorNumbersAlongEachRowAndColumnMajorDownEachColumn() {
        assertThat(HostPage.bays(profile(4, 15, HardwareProfile.BayNumbering.ROW_MAJOR, 0, 60), Map.of()))
                .extracting(HostPage.Bay::slot).startsWith(0, 1, 2).contains(59).hasSize(60)
                .element(15).isEqualTo(15); // the second row starts with slot 15
        var dell = HostPage.bays(profile(2, 13, HardwareProfile.BayNumbering.COLUMN_MAJOR, 0, 26), Map.of());
        assertThat(dell).extracting(HostPage.Bay::slot).startsWith(0, 2, 4).hasSize(26)
                .element(13).isEqualTo(1); // drawn row by row: the second row holds the odd slots
        assertThat(HostPage.bays(profile(5, 12, HardwareProfile.BayNumbering.ROW_MAJOR, 1, 58), Map.of()))
                .as("a first slot of 1, and fewer bays than the grid holds").extracting(HostPage.Bay::slot)
                .startsWith(1, 2).endsWith(58).hasSize(58);
    }

    private static HardwareProfile profile(int rows, int columns, HardwareProfile.BayNumbering numbering, int first, int bays) {
        return new HardwareProfile("test", "v", "m", "4U", bays, new HardwareProfile.BayLayout(rows, columns, numbering, first),
                HardwareProfile.DriveInterface.SATA, null, 2, 512, 2, null, null, 16_000_000_000_000L, null);
    }
}
