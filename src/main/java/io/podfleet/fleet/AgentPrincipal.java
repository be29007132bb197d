package io.podfleet.fleet;

import java.security.Principal;

/** Who calls the agent endpoints: the host a live agent credential belongs to. */
public record AgentPrincipal(long hostId, String hostname) implements Principal {
    @Override
    public String getName() {
        return "agent:" + hostname;
    }
}
