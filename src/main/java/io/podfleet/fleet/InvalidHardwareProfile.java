package io.podfleet.fleet;

/** A profile file that cannot be used: the server does not start, and says which file and field. */
public class InvalidHardwareProfile extends RuntimeException {

    private final String file;
    private final String field;

    InvalidHardwareProfile(String file, String field, String problem) {
        super(file + ": " + (field == null ? "" : field + ": ") + problem);
        this.file = file;
        this.field = field;
    }

    public String file() {
        return file;
    }

    public String field() {
        return field;
    }
}
