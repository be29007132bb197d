package io.podfleet.fleet;

import io.podfleet.protocol.v1.DriveSample;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes a report's drives one per serial and one per slot before they are stored. A drive seen twice (two paths to a
 * dual-ported SAS drive, which an agent may list as two devices) is kept once, with a slot if either sighting had
 * one; a slot claimed by two drives stays with the first, and the other drive is stored without a slot. Refusing
 * such a report would lose every other drive of it (an agent never resends a refused report), and storing it as sent
 * made the two drives replace each other in the slot within one report. The host says what was found.
 */
final class OneDrivePerSlot {

    /** The drives to store, and what was wrong ({@code null} when nothing). */
    record Resolved(List<DriveSample> drives, String conflicts) {
    }

    private OneDrivePerSlot() {
    }

    static Resolved resolve(List<DriveSample> drives) {
        Map<String, Integer> bySerial = new HashMap<>();
        List<DriveSample> once = new ArrayList<>(drives.size());
        Set<String> twice = new java.util.TreeSet<>();
        for (DriveSample d : drives) {
            String serial = d.reading() == null ? null : d.reading().serial();
            Integer at = serial == null ? null : bySerial.putIfAbsent(serial, once.size());
            if (at == null) {
                once.add(d);
            } else {
                twice.add(serial);
                if (once.get(at).slot() == null && d.slot() != null) {
                    once.set(at, d);
                }
            }
        }
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
        if (twice.isEmpty() && contested.isEmpty()) {
            return new Resolved(drives, null);
        }
        List<String> notes = new ArrayList<>();
        if (!twice.isEmpty()) {
            notes.add("drives reported twice (kept once): " + String.join(", ", twice));
        }
        if (!contested.isEmpty()) {
            notes.add("slots claimed by two drives (the later stored without a slot): " + contested);
        }
        return new Resolved(kept, String.join("; ", notes));
    }
}
