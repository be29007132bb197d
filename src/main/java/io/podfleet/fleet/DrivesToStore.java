package io.podfleet.fleet;

import io.podfleet.protocol.v1.DriveSample;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The drives of a report as they can be stored: one per serial, one per slot, each with a serial the drive table
 * holds (100 characters; a longer one, a firmware's garbage, cannot identify a drive). A drive seen twice (two paths to a
 * dual-ported SAS drive, which an agent may list as two devices) is kept once, with a slot if either sighting had
 * one; a slot claimed by two drives stays with the first, and the other drive is stored without a slot. Refusing
 * such a report would lose every other drive of it (an agent never resends a refused report), and storing it as sent
 * made the two drives replace each other in the slot within one report. The host says what was found.
 */
final class DrivesToStore {

    /** The drives to store, and what was wrong ({@code null} when nothing). */
    record Resolved(List<DriveSample> drives, String conflicts) {
    }

    /** The longest serial {@code drive.serial} holds. */
    static final int LONGEST_SERIAL = 100;

    private DrivesToStore() {
    }

    static Resolved resolve(List<DriveSample> drives) {
        List<String> unstorable = new ArrayList<>();
        List<DriveSample> storable = new ArrayList<>(drives.size());
        Map<String, Integer> sightings = new HashMap<>();
        for (DriveSample d : drives) {
            String serial = d.reading() == null ? null : d.reading().serial();
            if (serial != null && serial.length() > LONGEST_SERIAL) {
                unstorable.add(d.slot() == null ? "a drive without a slot" : "slot " + d.slot());
                continue;
            }
            storable.add(d);
            if (serial != null) {
                sightings.merge(serial, 1, Integer::sum);
            }
        }
        Set<String> twice = new java.util.TreeSet<>();
        sightings.forEach((serial, n) -> {
            if (n > 1) {
                twice.add(serial);
            }
        });
        List<DriveSample> once = twice.isEmpty() ? storable : DriveSample.oncePerSerial(storable);
        Set<Integer> taken = new HashSet<>();
        Set<Integer> contested = new java.util.TreeSet<>();
        List<DriveSample> kept = new ArrayList<>(once.size());
        for (DriveSample d : once) {
            if (d.slot() == null || taken.add(d.slot())) {
                kept.add(d);
            } else {
                contested.add(d.slot());
                kept.add(new DriveSample(null, "contested", d.reading()));
            }
        }
        if (twice.isEmpty() && contested.isEmpty() && unstorable.isEmpty()) {
            return new Resolved(drives, null);
        }
        List<String> notes = new ArrayList<>();
        if (!unstorable.isEmpty()) {
            notes.add("serials longer than " + LONGEST_SERIAL + " characters (drives not stored): " + String.join(", ", unstorable));
        }
        if (!twice.isEmpty()) {
            notes.add("drives reported twice (kept once): " + String.join(", ", twice));
        }
        if (!contested.isEmpty()) {
            notes.add("slots claimed by two drives (the later stored without a slot): " + contested);
        }
        return new Resolved(kept, String.join("; ", notes));
    }
}
