package io.podfleet.fleet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The server models the fleet knows: the files shipped in the jar, then those in {@code podfleet.fleet.profiles-dir}.
 * Read once at start-up; any bad file stops the start.
 */
@Component
public class HardwareProfiles {

    private static final Logger log = LoggerFactory.getLogger(HardwareProfiles.class);

    private final Map<String, HardwareProfile> byId;

    @org.springframework.beans.factory.annotation.Autowired
    HardwareProfiles(FleetSettings settings) {
        this(settings.profilesDir());
    }

    HardwareProfiles(Path extraDir) {
        Map<String, HardwareProfile> profiles = new TreeMap<>();
        Map<String, String> source = new TreeMap<>();
        try {
            for (Resource r : new PathMatchingResourcePatternResolver().getResources("classpath:hardware-profiles/*.y*ml")) {
                try (InputStream in = r.getInputStream()) {
                    add(profiles, source, "hardware-profiles/" + r.getFilename(), HardwareProfileReader.read(r.getFilename(), in));
                }
            }
            if (extraDir != null) {
                if (!Files.isDirectory(extraDir)) {
                    throw new InvalidHardwareProfile(extraDir.toString(), null, "podfleet.fleet.profiles-dir is not a folder");
                }
                try (Stream<Path> files = Files.list(extraDir)) {
                    for (Path file : files.filter(f -> f.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList()) {
                        try (InputStream in = Files.newInputStream(file)) {
                            add(profiles, source, file.toString(), HardwareProfileReader.read(file.getFileName().toString(), in));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read hardware profiles", e);
        }
        this.byId = Collections.unmodifiableMap(profiles);
        log.info("Loaded {} hardware profiles: {}", profiles.size(), profiles.keySet());
    }

    private static void add(Map<String, HardwareProfile> profiles, Map<String, String> source, String file, HardwareProfile p) {
        String earlier = source.putIfAbsent(p.id(), file);
        if (earlier != null) {
            throw new InvalidHardwareProfile(file, "id", "'" + p.id() + "' is already defined by " + earlier);
        }
        profiles.put(p.id(), p);
    }

    public Collection<HardwareProfile> all() {
        return byId.values();
    }

    public Optional<HardwareProfile> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }
}
