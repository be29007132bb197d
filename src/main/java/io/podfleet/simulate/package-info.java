/**
 * Simulated storage hosts that pre-register, enroll, heartbeat and report over the real HTTP protocol: the fleet
 * behind {@code mvn spring-boot:run}, and the load of the ingestion benchmarks. No Spring.
 */
package io.podfleet.simulate;
