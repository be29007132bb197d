/**
 * The host agent: collects host facts (OSHI), drive readings (smartctl), slots and tome shard filesystems,
 * writes each report to a durable spool before sending it, and reports to the server over HTTP. No Spring context:
 * it runs from the small {@code podfleet-agent.jar} as well as from the server jar.
 */
package io.podfleet.agent;
