package io.podfleet.accounting;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * @param maxImportSize  largest Drive Stats CSV the import accepts (read by the body size filter)
 * @param rollupInterval how often today's and yesterday's ingestion are rolled up again
 */
@ConfigurationProperties("podfleet.accounting")
public record AccountingSettings(@DefaultValue("256MB") DataSize maxImportSize,
                                 @DefaultValue("15m") Duration rollupInterval) {
}
