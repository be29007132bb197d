/**
 * The agent-to-server wire model, versioned by path ({@code /api/v1/agent/...}) and by package. Records only, no
 * framework annotations; both sides ignore fields they do not know, so a field may be added in a minor release but
 * never removed or re-typed within v1. Documented with examples in docs/protocol.md.
 */
package io.podfleet.protocol;
