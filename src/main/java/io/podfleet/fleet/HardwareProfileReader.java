package io.podfleet.fleet;

import io.podfleet.platform.problem.JsonPath;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.InputStream;
import java.util.Comparator;
import java.util.Set;

/** Reads and checks one profile file; every problem names the file and the field in the file's own spelling. */
final class HardwareProfileReader {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();
    private static final ValidatorFactory VALIDATION = Validation.buildDefaultValidatorFactory();

    private HardwareProfileReader() {
    }

    static HardwareProfile read(String fileName, InputStream in) {
        HardwareProfile profile;
        try {
            profile = YAML.readValue(in, HardwareProfile.class);
        } catch (JacksonException e) {
            String message = e.getOriginalMessage();
            int newline = message == null ? -1 : message.indexOf('\n');
            throw new InvalidHardwareProfile(fileName, e.getPath().isEmpty() ? null : JsonPath.of(e),
                    newline < 0 ? message : message.substring(0, newline));
        }
        if (profile == null) {
            throw new InvalidHardwareProfile(fileName, null, "the file is empty");
        }
        Validator validator = VALIDATION.getValidator();
        Set<ConstraintViolation<HardwareProfile>> violations = validator.validate(profile);
        if (!violations.isEmpty()) {
            ConstraintViolation<HardwareProfile> first = violations.stream()
                    .min(Comparator.comparing(v -> v.getPropertyPath().toString())).orElseThrow();
            throw new InvalidHardwareProfile(fileName, kebab(first.getPropertyPath().toString()), first.getMessage());
        }
        String expectedId = fileName.replaceFirst("\\.ya?ml$", "");
        if (!profile.id().equals(expectedId)) {
            throw new InvalidHardwareProfile(fileName, "id", "must match the file name ('" + expectedId + "')");
        }
        return profile;
    }

    /** bayLayout.rows -> bay-layout.rows; layoutLargeEnough -> layout-large-enough. */
    private static String kebab(String path) {
        return path.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
