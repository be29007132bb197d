package io.podfleet.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * @param refreshInterval how often the fleet page's tiles and counts refresh themselves in the browser
 * @param countsFresh     how long the fleet's host and drive counts are shared by all viewers before a recount
 */
@ConfigurationProperties("podfleet.web")
public record WebSettings(@DefaultValue("10s") Duration refreshInterval, @DefaultValue("5s") Duration countsFresh) {
}
