package io.podfleet.simulate;

import io.podfleet.protocol.v1.DriveSample;
import io.podfleet.protocol.v1.Heartbeat;
import io.podfleet.protocol.v1.HostFacts;
import io.podfleet.protocol.v1.HostReport;
import io.podfleet.protocol.v1.ShardFilesystem;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/** A storage host of the simulated fleet: its place, its bays, and the reports its agent would send. */
final class SimulatedHost {

    static final long DRIVE_BYTES = 16_000_000_000_000L;

    final String hostname;
    final String systemSerial;
    final String datacenter;
    final String cabinet;
    final int rackUnit;
    final String profileId;
    String hostId;
    String credential;
    private final SimulatedDrive[] bays;
    private final Random random;
    private final long startedMillis = System.currentTimeMillis();
    private long heartbeats;
    private int generation;
    int failuresStarted;
    int replacements;

    SimulatedHost(int index, int drives, String prefix, String[] datacenters, String profileId, long seed) {
        int group = index / 20;
        int position = index % 20;
        this.datacenter = datacenters[group % datacenters.length];
        this.cabinet = String.format("c%02d", position);
        this.rackUnit = 1 + 4 * ((group / datacenters.length) % 10);
        this.hostname = String.format("%s-%s-g%03d-%02d", prefix, datacenter, group, position);
        this.systemSerial = String.format("%s-SN%06d", prefix.toUpperCase(java.util.Locale.ROOT), index);
        this.profileId = profileId;
        this.random = new Random(seed + index);
        this.bays = new SimulatedDrive[drives];
        for (int slot = 0; slot < drives; slot++) {
            bays[slot] = newDrive(slot);
        }
    }

    private SimulatedDrive newDrive(int slot) {
        return new SimulatedDrive(String.format("%s-%02d-%d", systemSerial, slot, generation++), random, DRIVE_BYTES);
    }

    /**
     * One report interval of simulated time: drives age, some start failing at the annualized rate, bays whose
     * drive has been gone for two reports get a new one. Returns the report of the host after it.
     */
    synchronized void failDrive(int slot) {
        bays[slot].failNow();
    }

    synchronized HostReport tick(double simulatedHours, double afrPercent) {
        double failProbability = afrPercent / 100.0 * simulatedHours / (365.0 * 24);
        for (int slot = 0; slot < bays.length; slot++) {
            SimulatedDrive d = bays[slot];
            if (d.phase() == SimulatedDrive.Phase.HEALTHY && random.nextDouble() < failProbability) {
                d.startFailing();
                failuresStarted++;
            }
            d.age(simulatedHours, random);
            if (d.reportsGone() >= 2) {
                bays[slot] = newDrive(slot);
                replacements++;
            }
        }
        List<DriveSample> drives = new ArrayList<>();
        List<ShardFilesystem> shards = new ArrayList<>();
        for (int slot = 0; slot < bays.length; slot++) {
            SimulatedDrive d = bays[slot];
            String mount = String.format("/srv/podfleet/tome%02d", slot);
            if (d.phase() == SimulatedDrive.Phase.GONE) {
                shards.add(new ShardFilesystem(slot, mount, false, null, null, false, null, null, null, null, null));
                continue;
            }
            drives.add(new DriveSample(slot, "enclosure", d.reading("/dev/sd" + slot)));
            long used = (long) (DRIVE_BYTES * 0.9 * Math.min(1.0, 0.2 + elapsedDays() / 365.0));
            shards.add(new ShardFilesystem(slot, mount, true, "/dev/sd" + slot + "1", "ext4",
                    d.phase() == SimulatedDrive.Phase.FAILED, DRIVE_BYTES, used, DRIVE_BYTES - used, 61_000_000L, 60_000_000L));
        }
        HostFacts facts = new HostFacts(hostname, "Simulated", profileId, systemSerial, "SIM", "1.0", "Simulated CPU", 1, 4, 8,
                List.of(1.0, 1.0, 1.0), 32L << 30, 24L << 30, uptime(), "Debian GNU/Linux 12", "6.1.0", 45.0, List.of(4200),
                List.of(), List.of());
        return new HostReport(UUID.randomUUID(), hostId, Instant.now(), "simulator", profileId, facts, drives, shards,
                new HostReport.CollectionStats(900, bays.length, drives.size(), 0, 0));
    }

    Heartbeat heartbeat() {
        return new Heartbeat(hostId, ++heartbeats, Instant.now(), uptime(), 1.0, "simulator", 0, 0);
    }

    private long uptime() {
        return (System.currentTimeMillis() - startedMillis) / 1000 + 86_400;
    }

    private double elapsedDays() {
        return (System.currentTimeMillis() - startedMillis) / 86_400_000.0;
    }
}
