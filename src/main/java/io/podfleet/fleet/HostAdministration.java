package io.podfleet.fleet;

import io.podfleet.platform.problem.DomainProblem;
import io.podfleet.security.AuditLog;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What operators and provisioning tools change on hosts and drives: pre-registration, admin state, removing a drive.
 * Every change is audited with before and after, in the same transaction.
 */
@Service
public class HostAdministration {

    /** The largest cost {@code host.purchase_cost} holds (NUMERIC(14, 2)). */
    private static final BigDecimal MOST_COST = new BigDecimal("999999999999.99");

    /** Host admin states; health (HEALTHY/STALE/DEAD) is a separate axis that only heartbeats change. */
    public enum AdminState { IN_SERVICE, DRAINING, MAINTENANCE, DECOMMISSIONED }

    static final class InvalidAdminState extends DomainProblem {
        InvalidAdminState(String field, String detail) {
            super(HttpStatus.UNPROCESSABLE_CONTENT, field, detail);
        }
    }

    public record Registration(String hostname, String systemSerial, String profileId, String datacenter, String cabinet,
                        Integer rackUnit, BigDecimal purchaseCost, String purchaseCurrency) {
    }

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final HardwareProfiles profiles;
    private final DriveLedger ledger;
    private final Clock clock;
    private final org.springframework.context.ApplicationEventPublisher events;

    HostAdministration(JdbcClient jdbc, AuditLog audit, HardwareProfiles profiles, DriveLedger ledger, Clock clock,
                       org.springframework.context.ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
        this.audit = audit;
        this.profiles = profiles;
        this.ledger = ledger;
        this.clock = clock;
    }

    @Transactional
    long register(Registration r) {
        if (r.hostname() == null || !r.hostname().matches("[A-Za-z0-9][A-Za-z0-9.-]{0,252}")) {
            throw new FleetProblems.InvalidField("hostname", "must be a host name (letters, digits, '.', '-')");
        }
        FleetProblems.atMost("systemSerial", r.systemSerial(), 100);
        FleetProblems.atMost("datacenter", r.datacenter(), 64);
        FleetProblems.atMost("cabinet", r.cabinet(), 64);
        if (r.profileId() != null && profiles.find(r.profileId()).isEmpty()) {
            throw new FleetProblems.InvalidField("profileId", "no hardware profile '" + r.profileId() + "'");
        }
        if (r.purchaseCost() != null && r.purchaseCost().signum() < 0) {
            throw new FleetProblems.InvalidField("purchaseCost", "must be 0 or more");
        }
        if (r.purchaseCurrency() != null && !r.purchaseCurrency().matches("[A-Z]{3}")) {
            throw new FleetProblems.InvalidField("purchaseCurrency", "must be an ISO 4217 code such as USD");
        }
        if (r.purchaseCost() != null && r.purchaseCost().compareTo(MOST_COST) > 0) { // NUMERIC(14, 2): more was a 500
            throw new FleetProblems.InvalidField("purchaseCost", "must be at most " + MOST_COST.toPlainString());
        }
        if (jdbc.sql("SELECT count(*) FROM host WHERE hostname = ? OR system_serial = ?")
                .params(r.hostname(), r.systemSerial()).query(Long.class).single() > 0) {
            throw new FleetProblems.HostnameTaken(r.hostname() + (r.systemSerial() == null ? "" : " or has serial " + r.systemSerial()));
        }
        long id = jdbc.sql("""
                        INSERT INTO host (hostname, system_serial, profile_id, datacenter, cabinet, rack_unit, purchase_cost,
                          purchase_currency, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(r.hostname(), r.systemSerial(), r.profileId(), r.datacenter(), r.cabinet(), r.rackUnit(),
                        r.purchaseCost(), r.purchaseCost() == null ? null : (r.purchaseCurrency() == null ? "USD" : r.purchaseCurrency()),
                        Timestamp.from(clock.instant()))
                .query(Long.class).single();
        audit.record("host.register", "host:" + id, null, r);
        return id;
    }

    @Transactional
    public void setAdminState(long hostId, AdminState state, Instant until, String reason) {
        Map<String, Object> before = jdbc.sql("SELECT admin_state, maintenance_until, admin_reason FROM host WHERE id = ? FOR UPDATE")
                .param(hostId).query().listOfRows().stream().findFirst()
                .orElseThrow(() -> new DomainProblem.NotFound("Host", hostId));
        if (AdminState.DECOMMISSIONED.name().equals(before.get("admin_state")) && state != AdminState.DECOMMISSIONED) {
            throw new InvalidAdminState("state", "a decommissioned host does not come back; register it again");
        }
        FleetProblems.atMost("reason", reason, 300);
        if (state == AdminState.MAINTENANCE && (until == null || !until.isAfter(clock.instant()))) {
            throw new InvalidAdminState("until", "MAINTENANCE needs an end time in the future");
        }
        if (state != AdminState.MAINTENANCE && until != null) {
            throw new InvalidAdminState("until", "only MAINTENANCE has an end time");
        }
        jdbc.sql("UPDATE host SET admin_state = ?, maintenance_until = ?, admin_reason = ? WHERE id = ?")
                .params(state.name(), until == null ? null : Timestamp.from(until), reason, hostId).update();
        Map<String, Object> after = new HashMap<>();
        after.put("admin_state", state.name());
        after.put("maintenance_until", until == null ? null : until.toString());
        after.put("admin_reason", reason);
        Map<String, Object> was = new HashMap<>(before);
        was.replaceAll((k, v) -> v == null ? null : v.toString());
        audit.record("host.admin-state", "host:" + hostId, was, after);
        events.publishEvent(HostsChanged.of(hostId));
    }

    @Transactional
    public void removeDrive(long driveId, String reason) {
        Map<String, Object> drive = jdbc.sql("SELECT state, host_id, slot FROM drive WHERE id = ? FOR UPDATE").param(driveId)
                .query().listOfRows().stream().findFirst().orElseThrow(() -> new DomainProblem.NotFound("Drive", driveId));
        DriveState from = DriveState.valueOf((String) drive.get("state"));
        if (!from.canBecome(DriveState.REMOVED)) {
            throw new InvalidAdminState("state", "a drive that is " + from + " cannot be marked removed");
        }
        String why = "removed by " + AuditLog.currentActor() + (reason == null || reason.isBlank() ? "" : ": " + reason);
        ledger.transition(driveId, from, DriveState.REMOVED, clock.instant(), (Long) drive.get("host_id"),
                (Integer) drive.get("slot"), why);
        audit.record("drive.remove", "drive:" + driveId, Map.of("state", from.name()), Map.of("state", "REMOVED"));
        Long hostId = (Long) drive.get("host_id");
        if (hostId != null) {
            events.publishEvent(HostsChanged.of(hostId));
        }
    }
}
