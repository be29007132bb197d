/**
 * Drive health from smartctl's JSON output: {@link io.podfleet.smart.SmartctlParser} turns a document into a
 * {@link io.podfleet.smart.DriveReading} or a {@link io.podfleet.smart.DeviceScan};
 * {@link io.podfleet.smart.HealthRules} judges a reading, {@link io.podfleet.smart.TrendRules} a short history.
 * Pure Java: no Spring, no I/O, so the agent, the server and the {@code smart inspect} tool share it.
 */
package io.podfleet.smart;
