package io.podfleet.fleet;

import io.podfleet.protocol.v1.DriveSample;
import io.podfleet.protocol.v1.Heartbeat;
import io.podfleet.protocol.v1.HostReport;
import io.podfleet.protocol.v1.ReportAck;
import io.podfleet.protocol.v1.ShardFilesystem;
import io.podfleet.smart.DriveReading;
import io.podfleet.smart.HealthRules;
import io.podfleet.smart.TemperatureLimits;
import io.podfleet.smart.TrendRules;
import io.podfleet.smart.Verdict;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Takes one agent report in one transaction: the receipt (so a resend is harmless), the host's facts, every drive's
 * verdict and state, drives gone missing or replaced, the SMART samples and the latest readings. The agent hears
 * "committed" only after the commit.
 */
@Service
class ReportIngestion {

    private final JdbcClient jdbc;
    private final org.springframework.jdbc.core.JdbcTemplate template;
    private final SmartHistory history;
    private final DriveLedger ledger;
    private final HardwareProfiles profiles;
    private final FleetSettings settings;
    private final JsonMapper json;
    private final tools.jackson.databind.ObjectWriter readingWriter;
    private final Clock clock;
    private final HealthRules rules;
    private final TrendRules trends = new TrendRules();
    private final org.springframework.context.ApplicationEventPublisher events;
    private final HeartbeatBuffer heartbeats;

    ReportIngestion(JdbcClient jdbc, org.springframework.jdbc.core.JdbcTemplate template, SmartHistory history,
                    DriveLedger ledger, HardwareProfiles profiles, FleetSettings settings, JsonMapper json, Clock clock,
                    HealthRules rules, org.springframework.context.ApplicationEventPublisher events, HeartbeatBuffer heartbeats) {
        this.heartbeats = heartbeats;
        this.rules = rules;
        this.events = events;
        this.jdbc = jdbc;
        this.template = template;
        this.history = history;
        this.ledger = ledger;
        this.profiles = profiles;
        this.settings = settings;
        this.json = json;
        this.readingWriter = json.writerFor(DriveReading.class);
        this.clock = clock;
    }

    private static final String KNOWN_COLUMNS = "d.id, d.serial, d.slot, d.state, d.missing_since, d.host_id, d.verdict,"
            + " d.reading_at, d.recent_counters, d.wwn, d.model, d.capacity_bytes, d.interface, d.reasons = '[]'::jsonb, d.present";

    /**
     * A drive as stored before the report.
     *
     * @param recent    the counters of its newest samples, or null when not on its row yet (see V13)
     * @param noReasons its verdict had no reasons
     * @param present   it was in its host's latest report (see V17)
     */
    private record Known(long id, String serial, Integer slot, DriveState state, Instant missingSince, Long hostId,
                         String verdict, Instant readingAt, List<TrendRules.Point> recent, String wwn, String model,
                         Long capacityBytes, String iface, boolean noReasons, boolean present) {

        Known replaced() {
            return new Known(id, serial, slot, DriveState.REPLACED, null, hostId, verdict, readingAt, recent, wwn, model,
                    capacityBytes, iface, noReasons, false);
        }
    }

    /** The host's profile (its own, or the report's when it has none) and one of its drives, or none. */
    private record HostRow(String profileId, Known drive) {
    }

    @Transactional
    ReportAck ingest(AgentPrincipal agent, HostReport sent) {
        validate(agent, sent);
        DrivesToStore.Resolved resolved = DrivesToStore.resolve(sent.drives());
        HostReport report = resolved.conflicts() == null ? sent : new HostReport(sent.reportId(), sent.hostId(), sent.takenAt(),
                sent.agentVersion(), sent.profileId(), sent.host(), resolved.drives(), sent.shards(), sent.collection());
        Instant now = clock.instant();
        // one round trip: the receipt (no row back: the report id was seen before), the host's profile, and the drives
        // the host had. The host's row is locked so that reports of one host are stored one after the other; a report
        // that waited there read the drives as they were before the other committed (one statement, one snapshot), and
        // if that makes it insert a drive the other just added, it fails and the agent sends it again. An agent sends
        // one report at a time, so this takes two agents on one host, which enrollment does not allow.
        List<HostRow> hostRows = jdbc.sql("""
                        WITH receipt AS (INSERT INTO report_receipt (report_id, host_id, received_at) VALUES (?, ?, ?)
                                         ON CONFLICT DO NOTHING RETURNING host_id),
                             h AS (SELECT host.id, COALESCE(host.profile_id, ?) AS profile_id FROM host
                                   JOIN receipt ON host.id = receipt.host_id FOR NO KEY UPDATE OF host)
                        SELECT h.profile_id, """ + KNOWN_COLUMNS + " FROM h LEFT JOIN drive d ON d.host_id = h.id")
                .params(report.reportId(), agent.hostId(), Timestamp.from(now), knownProfile(report.profileId()))
                .query((rs, i) -> new HostRow(rs.getString(1), rs.getObject(2) == null ? null : known(rs, 1))).list();
        if (hostRows.isEmpty()) {
            return new ReportAck(report.reportId(), true);
        }
        String profileId = hostRows.get(0).profileId();
        Map<String, Known> bySerial = new HashMap<>();
        Map<String, Known> onHost = new HashMap<>();
        Map<Integer, List<String>> bySlot = new HashMap<>(); // the serials the host had in each slot
        hostRows.stream().map(HostRow::drive).filter(Objects::nonNull).forEach(k -> {
            bySerial.put(k.serial(), k);
            onHost.put(k.serial(), k);
            if (k.slot() != null) {
                bySlot.computeIfAbsent(k.slot(), slot -> new ArrayList<>(1)).add(k.serial());
            }
        });
        HardwareProfile profile = profileId == null ? null : profiles.find(profileId).orElse(null);
        TemperatureLimits limits = profile == null ? TemperatureLimits.DEFAULT
                : new TemperatureLimits(profile.temperature().driveWarnC(), profile.temperature().driveCriticalC());

        List<DriveSample> readable = report.drives().stream()
                .filter(d -> d.reading() != null && d.reading().readable() && d.reading().serial() != null).toList();
        List<String> serials = readable.stream().map(d -> d.reading().serial()).distinct().toList();
        // then (rarely) the reported drives the host did not have: new, or moved in from elsewhere
        String[] notOnHost = serials.stream().filter(serial -> !onHost.containsKey(serial)).toArray(String[]::new);
        if (notOnHost.length > 0) {
            jdbc.sql("SELECT " + KNOWN_COLUMNS + " FROM drive d WHERE d.serial = ANY(?)").param(notOnHost)
                    .query((rs, i) -> known(rs, 0)).list()
                    .forEach(k -> bySerial.put(k.serial(), k));
        }
        Map<Long, List<TrendRules.Point>> recentFromHistory = history.recentPoints(serials.stream().map(bySerial::get)
                .filter(k -> k != null && k.recent() == null).map(Known::id).toList());

        List<SmartHistory.Sample> samples = new ArrayList<>();
        Tomes tomes = new Tomes();
        List<DriveUpdate> driveUpdates = new ArrayList<>();
        List<SmartHistory.Sample> latest = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<Integer> occupiedSlots = new HashSet<>();
        for (DriveSample d : report.drives()) {
            if (d.slot() != null) {
                occupiedSlots.add(d.slot());
            }
        }
        for (DriveSample d : readable) {
            DriveReading r = d.reading();
            if (!seen.add(r.serial())) {
                continue; // the same drive seen twice (two paths to one disk): count it once
            }
            Known known = bySerial.get(r.serial());
            List<TrendRules.Point> points = new ArrayList<>(known == null ? List.of()
                    : known.recent() != null ? known.recent() : recentFromHistory.getOrDefault(known.id(), List.of()));
            points.add(TrendRules.Point.of(r));
            Verdict verdict = trends.escalatePoints(rules.judge(r, limits), points);
            List<TrendRules.Point> window = SmartHistory.window(points);
            boolean refreshReading = known == null || !verdict.health().name().equals(known.verdict()) || known.readingAt() == null
                    || !report.takenAt().isBefore(known.readingAt().plus(settings.latestReadingRefresh()));
            tomes.changedIf(known == null);
            long driveId = known == null
                    ? appear(agent.hostId(), d, verdict, report.takenAt(), SmartHistory.recentCounters(window))
                    : update(known, agent.hostId(), d, verdict, report.takenAt(), refreshReading, window, driveUpdates, tomes);
            replaceOthersInSlot(onHost, bySlot, r.serial(), d.slot(), agent.hostId(), report.takenAt(), tomes);
            SmartHistory.Sample sample = new SmartHistory.Sample(driveId, report.takenAt(), verdict, r);
            samples.add(sample);
            if (refreshReading) {
                latest.add(sample);
            }
        }
        updateDrives(driveUpdates, agent.hostId(), report.takenAt());
        markMissing(onHost, seen, occupiedSlots, agent.hostId(), report.takenAt(), tomes);
        history.append(samples);
        storeLatest(latest);
        tomes.changedIf(storeShardsAndHost(agent.hostId(), report, profileId, profileMismatch(report, profile, resolved.conflicts()), now));
        if (tomes.changed) {
            events.publishEvent(HostsChanged.of(agent.hostId()));
        }
        return new ReportAck(report.reportId(), false);
    }

    /**
     * Whether the report changed what the host's tome shards are judged from: a drive's state or place, a shard
     * filesystem's mount or read-only flag. Only then is its vault re-assessed at once (after commit; done for every
     * report it cost a fifth of the reports, docs/benchmarks.md); byte counts alone wait for the vaults' pass every
     * minute.
     */
    private static final class Tomes {
        boolean changed;

        void changedIf(boolean change) {
            changed |= change;
        }
    }

    void heartbeat(AgentPrincipal agent, Heartbeat beat) {
        if (beat.hostId() == null || !beat.hostId().equals(Long.toString(agent.hostId()))) {
            throw new FleetProblems.ReportForAnotherHost(beat.hostId(), agent.hostId());
        }
        heartbeats.add(new HeartbeatBuffer.Beat(agent.hostId(), clock.instant(), beat.uptimeSeconds(), beat.load1(),
                cut(beat.agentVersion(), 40), beat.spoolDepth(), beat.spoolDropped()));
    }

    private void validate(AgentPrincipal agent, HostReport report) {
        if (report.reportId() == null) {
            throw new FleetProblems.InvalidField("reportId", "is required");
        }
        if (report.hostId() == null || !report.hostId().equals(Long.toString(agent.hostId()))) {
            throw new FleetProblems.ReportForAnotherHost(report.hostId(), agent.hostId());
        }
        Instant now = clock.instant();
        if (report.takenAt() == null) {
            throw new FleetProblems.InvalidField("takenAt", "is required");
        }
        if (report.takenAt().isAfter(now.plus(settings.reportClockSkew()))) {
            throw new FleetProblems.ReportOutOfTime("is in the future (" + report.takenAt() + "); check the host's clock");
        }
        if (report.takenAt().isBefore(now.minus(settings.reportMaxAge()))) {
            throw new FleetProblems.ReportOutOfTime("is older than " + settings.reportMaxAge() + " (" + report.takenAt() + ")");
        }
        for (int i = 0; i < report.drives().size(); i++) {
            DriveSample d = report.drives().get(i);
            if (d == null || d.reading() == null) {
                throw new FleetProblems.InvalidField("drives[" + i + "].reading", "is required");
            }
            if (d.slot() != null && (d.slot() < 0 || d.slot() > 1000)) {
                throw new FleetProblems.InvalidField("drives[" + i + "].slot", "must be between 0 and 1000");
            }
        }
        for (int i = 0; i < report.shards().size(); i++) {
            ShardFilesystem s = report.shards().get(i);
            if (s == null) {
                throw new FleetProblems.InvalidField("shards[" + i + "]", "must not be null");
            }
            if (s.slot() < 0 || s.slot() > 1000) {
                throw new FleetProblems.InvalidField("shards[" + i + "].slot", "must be between 0 and 1000");
            }

        }
    }

    private long appear(long hostId, DriveSample d, Verdict verdict, Instant at, String recentCounters) {
        DriveReading r = d.reading();
        DriveState state = DriveState.forVerdict(verdict.health(), null);
        long id = jdbc.sql("""
                        INSERT INTO drive (serial, wwn, model, capacity_bytes, interface, host_id, slot, state, verdict, reasons,
                          first_seen_at, last_seen_at, reading_at, recent_counters)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?::bigint[]) RETURNING id""")
                .params(r.serial(), wwn(r), cut(r.model(), 100), r.capacityBytes(), iface(r), hostId, d.slot(), state.name(),
                        verdict.health().name(), reasonsJson(verdict), Timestamp.from(at), Timestamp.from(at),
                        Timestamp.from(at), recentCounters)
                .query(Long.class).single();
        ledger.event(id, at, "appeared", null, state, hostId, d.slot(), "first seen in host " + hostId
                + (d.slot() == null ? "" : " slot " + d.slot()) + "; verdict " + verdict.health());
        return id;
    }

    private long update(Known known, long hostId, DriveSample d, Verdict verdict, Instant at, boolean refreshReading,
                        List<TrendRules.Point> window, List<DriveUpdate> driveUpdates, Tomes tomes) {
        DriveReading r = d.reading();
        boolean moved = !Objects.equals(known.hostId(), hostId) || !Objects.equals(known.slot(), d.slot());
        tomes.changedIf(moved || !Objects.equals(r.capacityBytes(), known.capacityBytes()) && r.capacityBytes() != null);
        if (moved) {
            ledger.event(known.id(), at, "moved", known.state(), known.state(), hostId, d.slot(),
                    "moved from host " + known.hostId() + " slot " + known.slot() + " to host " + hostId + " slot " + d.slot());
        }
        DriveUpdate row = new DriveUpdate(known.id(), wwn(r), cut(r.model(), 100), r.capacityBytes(), iface(r), d.slot(),
                verdict.health().name(), reasonsJson(verdict), refreshReading, window);
        // most reports change nothing on a drive's row but the time it was seen, which its host's row holds (V17)
        if (moved || refreshReading || !known.present() || !window.equals(known.recent()) || !row.sameAs(known)) {
            driveUpdates.add(row);
        }
        DriveState target = DriveState.forVerdict(verdict.health(), known.state());
        String why = known.state() == DriveState.MISSING ? "back in the report; verdict " + verdict.health()
                : "verdict " + verdict.health() + (verdict.reasons().isEmpty() ? "" : ": " + verdict.reasons().get(0).field()
                + " " + verdict.reasons().get(0).value() + " (" + verdict.reasons().get(0).rule() + ")");
        tomes.changedIf(ledger.transition(known.id(), known.state(), target, at, hostId, d.slot(), why));
        return known.id();
    }

    /** What a report says of a drive known before; {@code recent}: the trend window, written only if the row is. */
    private record DriveUpdate(long id, String wwn, String model, Long capacityBytes, String iface, Integer slot,
                               String verdict, String reasons, boolean refreshReading, List<TrendRules.Point> recent) {

        /** Writing it would leave the stored description and verdict as they are (a null keeps the stored value). */
        boolean sameAs(Known known) {
            return (wwn == null || wwn.equals(known.wwn())) && (model == null || model.equals(known.model()))
                    && (capacityBytes == null || capacityBytes.equals(known.capacityBytes()))
                    && (iface == null || iface.equals(known.iface())) && verdict.equals(known.verdict())
                    && "[]".equals(reasons) && known.noReasons();
        }
    }

    /** All known drives of a report in one statement: a batch of 60 single-row updates cost 4 ms of PostgreSQL's time. */
    private void updateDrives(List<DriveUpdate> updates, long hostId, Instant at) {
        if (updates.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        UPDATE drive d SET wwn = COALESCE(u.wwn, d.wwn), model = COALESCE(u.model, d.model),
                          capacity_bytes = COALESCE(u.capacity_bytes, d.capacity_bytes), interface = COALESCE(u.interface, d.interface),
                          host_id = ?, slot = u.slot, verdict = u.verdict, reasons = u.reasons::jsonb, last_seen_at = ?, present = true,
                          reading_at = CASE WHEN u.refresh THEN GREATEST(d.reading_at, ?) ELSE d.reading_at END,
                          recent_counters = u.recent::bigint[]
                        FROM unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::bigint[], ?::varchar[], ?::int[], ?::varchar[], ?::text[],
                          ?::boolean[], ?::text[]) AS u(id, wwn, model, capacity_bytes, interface, slot, verdict, reasons, refresh, recent)
                        WHERE d.id = u.id""")
                .params(hostId, Timestamp.from(at), Timestamp.from(at),
                        updates.stream().map(DriveUpdate::id).toArray(Long[]::new),
                        updates.stream().map(DriveUpdate::wwn).toArray(String[]::new),
                        updates.stream().map(DriveUpdate::model).toArray(String[]::new),
                        updates.stream().map(DriveUpdate::capacityBytes).toArray(Long[]::new),
                        updates.stream().map(DriveUpdate::iface).toArray(String[]::new),
                        updates.stream().map(DriveUpdate::slot).toArray(Integer[]::new),
                        updates.stream().map(DriveUpdate::verdict).toArray(String[]::new),
                        updates.stream().map(DriveUpdate::reasons).toArray(String[]::new),
                        updates.stream().map(DriveUpdate::refreshReading).toArray(Boolean[]::new),
                        updates.stream().map(u -> SmartHistory.recentCounters(u.recent())).toArray(String[]::new))
                .update();
    }

    /** Another serial reported in a slot means the drive that sat there was replaced. */
    private void replaceOthersInSlot(Map<String, Known> onHost, Map<Integer, List<String>> bySlot, String serial, Integer slot,
                                     long hostId, Instant at, Tomes tomes) {
        if (slot == null) {
            return;
        }
        for (String other : bySlot.getOrDefault(slot, List.of())) {
            Known k = onHost.get(other);
            if (!k.serial().equals(serial) && k.state() != DriveState.REPLACED
                    && k.state() != DriveState.REMOVED && ledger.transition(k.id(), k.state(), DriveState.REPLACED, at, hostId,
                    slot, "replaced by " + serial + " in slot " + slot)) {
                onHost.put(k.serial(), k.replaced());
                tomes.changedIf(true); // another drive in the slot
            }
        }
    }

    /**
     * Drives this host reported before and not now are MISSING ("we only got 59"); missing past the grace they are
     * FAILED. A slot that reported an unreadable drive still holds its drive: it is not missing.
     */
    private void markMissing(Map<String, Known> onHost, Set<String> seen, Set<Integer> occupiedSlots, long hostId, Instant at,
                             Tomes tomes) {
        for (Known k : onHost.values()) {
            if (seen.contains(k.serial()) || (k.slot() != null && occupiedSlots.contains(k.slot()))) {
                continue;
            }
            if (k.state() == DriveState.MISSING) {
                if (k.missingSince() != null && !at.isBefore(k.missingSince().plus(settings.missingGrace()))) {
                    tomes.changedIf(ledger.transition(k.id(), k.state(), DriveState.FAILED, at, hostId, k.slot(),
                            "missing since " + k.missingSince() + ", longer than " + settings.missingGrace()));
                }
            } else if (k.state() != DriveState.FAILED) {
                tomes.changedIf(ledger.transition(k.id(), k.state(), DriveState.MISSING, at, hostId, k.slot(),
                        "absent from the report of host " + hostId));
            }
        }
    }

    /**
     * The full reading of a drive is rewritten when it first appears, when its verdict changes, and otherwise at most
     * every {@code latest-reading-refresh}: rewriting 60 readings of a few KB as JSONB on every report was the largest
     * cost of ingestion, while the counters that change every report are in the samples.
     */
    private void storeLatest(List<SmartHistory.Sample> samples) {
        if (samples.isEmpty()) {
            return;
        }
        List<Object[]> rows = samples.stream().map(s -> new Object[]{s.driveId(), Timestamp.from(s.takenAt()),
                readingWriter.writeValueAsString(s.reading())}).toList();
        template.batchUpdate("""
                INSERT INTO drive_reading_latest (drive_id, taken_at, reading) VALUES (?, ?, ?::jsonb)
                ON CONFLICT (drive_id) DO UPDATE SET taken_at = EXCLUDED.taken_at, reading = EXCLUDED.reading
                WHERE drive_reading_latest.taken_at <= EXCLUDED.taken_at""", rows);
    }

    /**
     * The host's shard filesystems as this report saw them, one row per host (V19), slots ascending; slots it no
     * longer reports are forgotten. In the same statement, the host's row: the report's time, facts, agent version,
     * profile (a host without one takes the report's) and profile mismatch (one round trip less per report). Returns
     * whether a filesystem came, went, or changed its mount or read-only flag.
     */
    private boolean storeShardsAndHost(long hostId, HostReport report, String profileId, String mismatch, Instant now) {
        Map<Integer, ShardFilesystem> bySlot = new java.util.TreeMap<>();
        report.shards().forEach(s -> bySlot.put(s.slot(), s)); // one filesystem per slot, the last one reported wins
        List<ShardFilesystem> rows = List.copyOf(bySlot.values());
        // the host's shard row is written whole, and its row as it was before (the CTEs share one snapshot) says
        // whether a filesystem came, went, or changed its flags; no row before: whether there is any now
        return jdbc.sql("""
                        WITH r AS (SELECT ?::bigint AS host_id, ?::int[] AS slots, ?::varchar[] AS mount_points,
                                     ?::boolean[] AS mounted, ?::boolean[] AS read_only, ?::bigint[] AS total_bytes,
                                     ?::bigint[] AS used_bytes, ?::bigint[] AS free_bytes, ?::timestamptz AS reported_at),
                             before AS (SELECT s.slots, s.mounted, s.read_only FROM shard_filesystems s JOIN r USING (host_id)),
                             w AS (INSERT INTO shard_filesystems (host_id, slots, mount_points, mounted, read_only, total_bytes,
                                     used_bytes, free_bytes, reported_at)
                                   SELECT host_id, slots, mount_points, mounted, read_only, total_bytes, used_bytes, free_bytes,
                                     reported_at FROM r
                                   ON CONFLICT (host_id) DO UPDATE SET slots = EXCLUDED.slots, mount_points = EXCLUDED.mount_points,
                                     mounted = EXCLUDED.mounted, read_only = EXCLUDED.read_only, total_bytes = EXCLUDED.total_bytes,
                                     used_bytes = EXCLUDED.used_bytes, free_bytes = EXCLUDED.free_bytes,
                                     reported_at = EXCLUDED.reported_at),
                             h AS (UPDATE host SET last_report_at = r.reported_at, facts = ?::jsonb,
                                     profile_id = COALESCE(host.profile_id, ?),
                                     agent_version = COALESCE(?, host.agent_version), profile_mismatch = ?
                                   FROM r WHERE host.id = r.host_id)
                        SELECT COALESCE((SELECT b.slots <> r.slots OR b.mounted <> r.mounted OR b.read_only <> r.read_only
                                         FROM before b, r), (SELECT cardinality(slots) > 0 FROM r))""")
                .params(hostId,
                        rows.stream().map(ShardFilesystem::slot).toArray(Integer[]::new),
                        rows.stream().map(s -> s.mountPoint() == null ? "" : cut(s.mountPoint(), 300)).toArray(String[]::new),
                        rows.stream().map(ShardFilesystem::mounted).toArray(Boolean[]::new),
                        rows.stream().map(ShardFilesystem::readOnly).toArray(Boolean[]::new),
                        rows.stream().map(ShardFilesystem::totalBytes).toArray(Long[]::new),
                        rows.stream().map(ShardFilesystem::usedBytes).toArray(Long[]::new),
                        rows.stream().map(ShardFilesystem::freeBytes).toArray(Long[]::new),
                        Timestamp.from(now),
                        report.host() == null ? null : json.writeValueAsString(report.host()), profileId,
                        cut(report.agentVersion(), 40), mismatch)
                .query(Boolean.class).single();
    }

    /** Why the report does not fit the host's profile (too many drives, slots outside its bays, conflicts), or null. */
    private static String profileMismatch(HostReport report, HardwareProfile profile, String conflicts) {
        String mismatch = conflicts;
        if (profile != null) {
            int bays = profile.driveBays();
            int first = profile.bayLayout().firstSlot();
            long outside = report.drives().stream().filter(d -> d.slot() != null && (d.slot() < first || d.slot() >= first + bays)).count();
            if (report.drives().size() > bays || outside > 0) {
                String bayMismatch = report.drives().size() + " drives reported" + (outside > 0 ? ", " + outside + " in slots outside 0.."
                        + (first + bays - 1) : "") + " for the " + bays + "-bay profile " + profile.id();
                mismatch = mismatch == null ? bayMismatch : bayMismatch + "; " + mismatch;
            }
        }
        if (mismatch != null && mismatch.length() > 300) { // the column's width
            mismatch = mismatch.substring(0, 297) + "...";
        }
        return mismatch;
    }

    /*
     * What an agent sends is stored as far as the columns allow, never refused for it: a refused report or heartbeat
     * is lost for good (an agent does not resend it), and a 500 is retried for ever. Descriptive texts are cut to their
     * column, a WWN that cannot be one is dropped, a profile id no profile has is ignored; a serial too long to identify
     * a drive leaves that drive out ({@link DrivesToStore}).
     */
    private static String cut(String text, int longest) {
        return text == null || text.length() <= longest ? text : text.substring(0, longest);
    }

    private static boolean fits(String text, int longest) {
        return text == null || text.length() <= longest;
    }

    private String knownProfile(String id) {
        return id != null && profiles.find(id).isPresent() ? id : null;
    }

    private static String wwn(DriveReading r) {
        return fits(r.wwn(), 32) ? r.wwn() : null;
    }

    /** A drive's {@link #KNOWN_COLUMNS}, read after the first {@code skip} columns. */
    private Known known(java.sql.ResultSet rs, int skip) throws java.sql.SQLException {
        Timestamp missing = rs.getTimestamp(skip + 5);
        Timestamp readingAt = rs.getTimestamp(skip + 8);
        java.sql.Array recent = rs.getArray(skip + 9);
        return new Known(rs.getLong(skip + 1), rs.getString(skip + 2), (Integer) rs.getObject(skip + 3),
                DriveState.valueOf(rs.getString(skip + 4)), missing == null ? null : missing.toInstant(),
                (Long) rs.getObject(skip + 6), rs.getString(skip + 7), readingAt == null ? null : readingAt.toInstant(),
                recent == null ? null : SmartHistory.pointsFromCounters((Long[]) recent.getArray()),
                rs.getString(skip + 10), rs.getString(skip + 11), (Long) rs.getObject(skip + 12), rs.getString(skip + 13),
                rs.getBoolean(skip + 14), rs.getBoolean(skip + 15));
    }

    /** Most drives have no reasons: no serializer call for them, 60 times a report. */
    private String reasonsJson(Verdict verdict) {
        return verdict.reasons().isEmpty() ? "[]" : json.writeValueAsString(verdict.reasons());
    }

    private static String iface(DriveReading r) {
        return r.driveInterface() == null ? null : r.driveInterface().name();
    }
}
