package io.podfleet.fleet;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/**
 * One server model, read from a YAML file in {@code hardware-profiles/}. The format is documented in
 * {@code docs/hardware-profiles.md}; every field is required unless marked optional there.
 */
public record HardwareProfile(
        @NotBlank(message = "is required") @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,62}", message = "must be lower-case letters, digits, '.' and '-'") String id,
        @NotBlank(message = "is required") String vendor,
        @NotBlank(message = "is required") String model,
        @NotBlank(message = "is required") @Pattern(regexp = "[1-9]U", message = "must be a rack height such as 2U or 4U") String formFactor,
        @NotNull(message = "is required") @Positive @Max(200) Integer driveBays,
        @NotNull(message = "is required") @Valid BayLayout bayLayout,
        @NotNull(message = "is required") DriveInterface driveInterface,
        @NotNull(message = "is required") @Valid Smartctl smartctl,
        @NotNull(message = "is required") @Positive @Max(8) Integer sockets,
        @NotNull(message = "is required") @Positive Integer maxMemoryGb,
        @NotNull(message = "is required") @Positive @Max(8) Integer psus,
        @NotNull(message = "is required") @Valid TemperatureLimits temperature,
        @NotNull(message = "is required") @Valid PurchaseCost cost,
        @NotNull(message = "is required") @Positive Long typicalDriveCapacityBytes,
        String description) {

    /** Bays drawn as rows x columns, seen from the front (or the top, for top-loading chassis). */
    public record BayLayout(@NotNull(message = "is required") @Positive Integer rows, @NotNull(message = "is required") @Positive Integer columns, @NotNull(message = "is required") BayNumbering numbering,
                            @NotNull(message = "is required") @PositiveOrZero Integer firstSlot) {
    }

    /** How slot numbers run over the drawing: along each row first, or down each column first. */
    public enum BayNumbering {
        @JsonProperty("row-major") ROW_MAJOR,
        @JsonProperty("column-major") COLUMN_MAJOR
    }

    public enum DriveInterface { SATA, SAS, NVME }

    /**
     * @param deviceType the {@code -d} type smartctl needs for these drives (e.g. {@code sat}); optional
     * @param extraArgs  further smartctl arguments; optional
     */
    public record Smartctl(@Pattern(regexp = "[a-z0-9,+_-]*", message = "must be a smartctl -d type such as sat or megaraid,0") String deviceType,
                           List<@NotBlank String> extraArgs) {
        public Smartctl {
            extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
        }
    }

    public record TemperatureLimits(@NotNull(message = "is required") @Positive Integer driveWarnC, @NotNull(message = "is required") @Positive Integer driveCriticalC) {
        @AssertTrue(message = "drive-warn-c must be below drive-critical-c")
        @com.fasterxml.jackson.annotation.JsonIgnore
        boolean isWarnBelowCritical() {
            return driveWarnC == null || driveCriticalC == null || driveWarnC < driveCriticalC;
        }
    }

    /** Default purchase prices, used when no purchase is recorded for a host. */
    public record PurchaseCost(@NotBlank(message = "is required") @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as USD") String currency,
                               @NotNull(message = "is required") @PositiveOrZero BigDecimal chassis,
                               @NotNull(message = "is required") @PositiveOrZero BigDecimal perDrive) {
    }

    @AssertTrue(message = "bay-layout rows x columns must hold every drive bay")
    @com.fasterxml.jackson.annotation.JsonIgnore
    boolean isLayoutLargeEnough() {
        return bayLayout == null || bayLayout.rows() == null || bayLayout.columns() == null || driveBays == null
                || (long) bayLayout.rows() * bayLayout.columns() >= driveBays;
    }

    /** Raw capacity of a full host with typical drives, in bytes. */
    public long typicalRawBytes() {
        return typicalDriveCapacityBytes * driveBays;
    }

    /** Cost per raw decimal GB of a full host at the default prices: what the profile implies. */
    public BigDecimal defaultCostPerRawGb() {
        BigDecimal total = cost.chassis().add(cost.perDrive().multiply(BigDecimal.valueOf(driveBays)));
        return total.divide(BigDecimal.valueOf(typicalRawBytes()).movePointLeft(9), MathContext.DECIMAL64);
    }
}
