package io.podfleet.platform;

import io.podfleet.fleet.InvalidHardwareProfile;
import io.podfleet.platform.database.DataDirectoryLock;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns the start-up refusals an operator can fix into one clear message instead of a stack trace. */
public final class StartupFailures {

    private StartupFailures() {
    }

    public static final class DataDirectoryInUse extends AbstractFailureAnalyzer<DataDirectoryLock.DataDirectoryInUse> {
        @Override
        protected FailureAnalysis analyze(Throwable root, DataDirectoryLock.DataDirectoryInUse cause) {
            return new FailureAnalysis(cause.getMessage(),
                    "Run one server per data directory (--podfleet.data-dir), or use an external PostgreSQL.", cause);
        }
    }

    public static final class BadHardwareProfile extends AbstractFailureAnalyzer<InvalidHardwareProfile> {
        @Override
        protected FailureAnalysis analyze(Throwable root, InvalidHardwareProfile cause) {
            return new FailureAnalysis("Invalid hardware profile " + cause.getMessage(),
                    "Fix the field in that file (format: docs/hardware-profiles.md) and start again.", cause);
        }
    }
}
