package io.podfleet.accounting;

import io.podfleet.platform.problem.DomainProblem;
import io.podfleet.security.AuditLog;
import io.podfleet.vault.VaultSettings;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Cost per GB of hosts, vaults, hardware profiles and the fleet, now and per month (VIEWER); purchases (OPERATOR). */
@RestController
class CostController {

    record Purchase(String kind, Long hostId, String driveSerial, BigDecimal amount, String currency, LocalDate purchasedOn) {
    }

    record ProfileCost(String profileId, Cost cost) {
    }

    record MonthCost(YearMonth month, Cost cost) {
    }

    private final CostBook book;
    private final JdbcClient jdbc;
    private final VaultSettings vaults;
    private final AuditLog audit;
    private final Clock clock;

    CostController(CostBook book, JdbcClient jdbc, VaultSettings vaults, AuditLog audit, Clock clock) {
        this.book = book;
        this.jdbc = jdbc;
        this.vaults = vaults;
        this.audit = audit;
        this.clock = clock;
    }

    @PostMapping("/api/v1/purchases")
    @PreAuthorize("hasRole('OPERATOR')")
    @ResponseStatus(HttpStatus.CREATED)
    @Transactional
    Map<String, Object> record(@RequestBody List<Purchase> purchases) {
        for (int i = 0; i < purchases.size(); i++) {
            Purchase p = purchases.get(i);
            String at = "[" + i + "]";
            if (p == null || (!"CHASSIS".equals(p.kind()) && !"DRIVE".equals(p.kind()))) {
                throw new AccountingProblems.InvalidField(at + ".kind", "must be CHASSIS or DRIVE");
            }
            if ("CHASSIS".equals(p.kind()) && (p.hostId() == null
                    || jdbc.sql("SELECT count(*) FROM host WHERE id = ?").param(p.hostId()).query(Long.class).single() == 0)) {
                throw new AccountingProblems.InvalidField(at + ".hostId", "a chassis purchase names an existing host");
            }
            if ("DRIVE".equals(p.kind()) && (p.driveSerial() == null || p.driveSerial().isBlank())) {
                throw new AccountingProblems.InvalidField(at + ".driveSerial", "a drive purchase names the drive's serial");
            }
            if (p.amount() == null || p.amount().signum() < 0) {
                throw new AccountingProblems.InvalidField(at + ".amount", "must be 0 or more");
            }
            if (p.currency() == null || !p.currency().matches("[A-Z]{3}")) {
                throw new AccountingProblems.InvalidField(at + ".currency", "must be an ISO 4217 code such as USD");
            }
            if (p.purchasedOn() == null) {
                throw new AccountingProblems.InvalidField(at + ".purchasedOn", "is required");
            }
            jdbc.sql("""
                            INSERT INTO purchase (kind, host_id, drive_serial, amount, currency, purchased_on, created_at, created_by)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(p.kind(), "CHASSIS".equals(p.kind()) ? p.hostId() : null, "DRIVE".equals(p.kind()) ? p.driveSerial() : null,
                            p.amount(), p.currency(), Date.valueOf(p.purchasedOn()), Timestamp.from(clock.instant()), AuditLog.currentActor())
                    .update();
        }
        audit.record("purchases.record", "purchases", null, Map.of("count", purchases.size()));
        return Map.of("recorded", purchases.size());
    }

    @GetMapping("/api/v1/cost/hosts/{id}")
    Cost host(@PathVariable long id) {
        CostBook.Book b = book.load("h.id = ?", id);
        if (b.hosts().isEmpty()) {
            throw new DomainProblem.NotFound("Host", id);
        }
        return book.at(b, clock.instant(), h -> true, vaults.dataShards(), vaults.dataShards() + vaults.parityShards());
    }

    @GetMapping("/api/v1/cost/vaults/{id}")
    Cost vault(@PathVariable int id) {
        Map<String, Object> geometry = jdbc.sql("SELECT data_shards, width FROM vault WHERE id = ?").param(id).query().listOfRows()
                .stream().findFirst().orElseThrow(() -> new DomainProblem.NotFound("Vault", id));
        CostBook.Book b = book.load("h.id IN (SELECT host_id FROM vault_member WHERE vault_id = ? AND left_at IS NULL)", id);
        return book.at(b, clock.instant(), h -> true, (Integer) geometry.get("data_shards"), (Integer) geometry.get("width"));
    }

    @GetMapping("/api/v1/cost/fleet")
    Cost fleet() {
        return book.at(book.load("h.admin_state <> 'DECOMMISSIONED'"), clock.instant(), h -> true, vaults.dataShards(),
                vaults.dataShards() + vaults.parityShards());
    }

    @GetMapping("/api/v1/cost/profiles")
    List<ProfileCost> profiles() {
        CostBook.Book b = book.load("h.admin_state <> 'DECOMMISSIONED'");
        Instant now = clock.instant();
        return CostBook.profileIds(b).stream().map(p -> new ProfileCost(p, book.at(b, now, h -> p.equals(h.profileId()),
                vaults.dataShards(), vaults.dataShards() + vaults.parityShards()))).toList();
    }

    /** The cohort of a hardware profile month by month: cost and capacity as they stood at each month's end. */
    @GetMapping("/api/v1/cost/profiles/{profile}/monthly")
    List<MonthCost> monthly(@PathVariable String profile, @RequestParam YearMonth from, @RequestParam YearMonth to) {
        if (to.isBefore(from) || from.plusMonths(240).isBefore(to)) {
            throw new AccountingProblems.InvalidField("to", "must be from 0 to 240 months after from");
        }
        CostBook.Book b = book.load("h.profile_id = ?", profile);
        List<MonthCost> out = new ArrayList<>();
        for (YearMonth m = from; !m.isAfter(to); m = m.plusMonths(1)) {
            Instant end = m.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusNanos(1);
            out.add(new MonthCost(m, book.at(b, end, h -> true, vaults.dataShards(), vaults.dataShards() + vaults.parityShards())));
        }
        return out;
    }
}
