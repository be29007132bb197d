package io.podfleet.accounting;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Hardware cost against raw capacity: cost per raw decimal GB, and per usable GB (raw x data / width).
 *
 * @param rawBytes raw capacity of the drives in service
 */
public record Cost(BigDecimal amount, String currency, long rawBytes, BigDecimal perRawGb, BigDecimal perUsableGb) {

    static Cost of(BigDecimal amount, String currency, long rawBytes, int data, int width) {
        if (rawBytes <= 0) {
            return new Cost(amount, currency, rawBytes, null, null);
        }
        BigDecimal gb = BigDecimal.valueOf(rawBytes).movePointLeft(9);
        BigDecimal perRaw = amount.divide(gb, MathContext.DECIMAL64);
        BigDecimal perUsable = perRaw.multiply(BigDecimal.valueOf(width)).divide(BigDecimal.valueOf(data), MathContext.DECIMAL64);
        return new Cost(amount.setScale(2, RoundingMode.HALF_UP), currency, rawBytes, perRaw.setScale(6, RoundingMode.HALF_UP),
                perUsable.setScale(6, RoundingMode.HALF_UP));
    }
}
