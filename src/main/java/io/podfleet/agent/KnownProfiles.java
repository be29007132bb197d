package io.podfleet.agent;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The few facts the agent needs from the hardware profiles shipped in its jar: bay count, first slot number and
 * smartctl's {@code -d} type, and the model name to recognise the chassis by. The server validates profiles fully.
 */
final class KnownProfiles {

    record Profile(String id, String model, int driveBays, int firstSlot, String deviceType, List<String> smartctlArgs) {
    }

    private static final List<String> SHIPPED = List.of("backblaze-pod-6.0", "backblaze-pod-5.0",
            "supermicro-ssg-6049p-e1cr60l", "supermicro-pio-5049p-e1cr60l", "dell-r740xd2");

    private final List<Profile> profiles = new ArrayList<>();

    KnownProfiles() {
        YAMLMapper yaml = YAMLMapper.builder().build();
        for (String id : SHIPPED) {
            try (InputStream in = KnownProfiles.class.getResourceAsStream("/hardware-profiles/" + id + ".yaml")) {
                if (in == null) {
                    continue;
                }
                JsonNode p = yaml.readTree(in);
                List<String> args = new ArrayList<>();
                p.path("smartctl").path("extra-args").forEach(a -> args.add(a.asString()));
                String type = p.path("smartctl").path("device-type").asString("");
                profiles.add(new Profile(p.path("id").asString(), p.path("model").asString(), p.path("drive-bays").asInt(),
                        p.path("bay-layout").path("first-slot").asInt(0), type.isBlank() ? null : type, args));
            } catch (IOException e) {
                AgentLog.warn("cannot read profile %s: %s", id, e.getMessage());
            }
        }
    }

    Optional<Profile> byId(String id) {
        return profiles.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** The profile whose model name the system model (from the BIOS) contains, e.g. "SSG-6049P-E1CR60L". */
    Optional<Profile> detect(String systemModel) {
        if (systemModel == null) {
            return Optional.empty();
        }
        String m = systemModel.toUpperCase(Locale.ROOT);
        return profiles.stream().filter(p -> m.contains(p.model().toUpperCase(Locale.ROOT))).findFirst();
    }
}
