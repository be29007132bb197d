package io.podfleet.accounting;

import io.podfleet.platform.problem.DomainProblem;
import io.podfleet.vault.VaultSettings;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

/** Cost per GB of hosts, vaults, hardware profiles and the fleet, now and per month (VIEWER); purchases (OPERATOR). */
@RestController
class CostController {

    private final CostBook book;
    private final PurchaseLedger ledger;
    private final AccountingReports reports;
    private final JdbcClient jdbc;
    private final VaultSettings vaults;
    private final Clock clock;

    CostController(CostBook book, PurchaseLedger ledger, AccountingReports reports, JdbcClient jdbc, VaultSettings vaults, Clock clock) {
        this.book = book;
        this.ledger = ledger;
        this.reports = reports;
        this.jdbc = jdbc;
        this.vaults = vaults;
        this.clock = clock;
    }

    /** A JSON list of purchases; all or none are recorded, a refusal names the item's field ({@code [2].amount}). */
    @PostMapping(value = "/api/v1/purchases", consumes = "application/json")
    @PreAuthorize("hasRole('OPERATOR')")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> record(@RequestBody List<PurchaseLedger.Purchase> purchases) {
        return Map.of("recorded", ledger.record(purchases));
    }

    /** The same as a CSV file (header {@code kind,host_id|hostname,drive_serial,amount,currency,purchased_on}). */
    @PostMapping(value = "/api/v1/purchases", consumes = {"text/csv", "text/plain"})
    @PreAuthorize("hasRole('OPERATOR')")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> recordCsv(jakarta.servlet.http.HttpServletRequest request, @RequestParam(required = false) String name)
            throws java.io.IOException {
        try (java.io.BufferedReader in = request.getReader()) {
            return Map.of("recorded", ledger.recordCsv(in, name));
        }
    }

    /** The CSV file as the part {@code file} of a form upload. */
    @PostMapping(value = "/api/v1/purchases", consumes = "multipart/form-data")
    @PreAuthorize("hasRole('OPERATOR')")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> recordForm(@RequestParam("file") org.springframework.web.multipart.MultipartFile file) throws java.io.IOException {
        try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(file.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            return Map.of("recorded", ledger.recordCsv(in, file.getOriginalFilename()));
        }
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
    List<AccountingReports.ProfileCost> profiles() {
        return reports.profiles();
    }

    /** The cohort of a hardware profile month by month: cost and capacity as they stood at each month's end. */
    @GetMapping("/api/v1/cost/profiles/{profile}/monthly")
    List<AccountingReports.MonthCost> monthly(@PathVariable String profile, @RequestParam YearMonth from, @RequestParam YearMonth to) {
        return reports.monthly(profile, from, to);
    }
}
