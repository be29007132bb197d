package io.podfleet.smart;

/** The input is not a smartctl JSON document: not JSON, truncated, or JSON of another shape. */
public class MalformedSmartctlOutput extends Exception {
    public MalformedSmartctlOutput(String message, Throwable cause) {
        super(message, cause);
    }
}
