package io.podfleet.fleet;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;

/**
 * @param profilesDir an extra folder of hardware profile files, read after the ones shipped in the jar, so
 *                    operators add models without a rebuild; optional
 */
@ConfigurationProperties("podfleet.fleet")
public record FleetSettings(Path profilesDir) {
}
