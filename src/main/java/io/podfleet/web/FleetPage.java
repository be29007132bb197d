package io.podfleet.web;

import io.podfleet.accounting.AccountingReports;
import io.podfleet.admission.Admission;
import io.podfleet.fleet.FleetQueries;
import io.podfleet.fleet.HostInventory;
import io.podfleet.vault.VaultQueries;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The fleet at a glance: a tile per vault, hosts and drives by state; the tiles refresh themselves. */
@Controller
class FleetPage {

    /** What one tile shows: the vault's summary, its open connections and limit, and today's ingested bytes. */
    record Tile(VaultQueries.VaultSummary vault, Admission.VaultLoad load, long bytesToday) {
    }

    private final VaultQueries vaults;
    private final FleetQueries fleet;
    private final HostInventory inventory;
    private final Admission admission;
    private final AccountingReports accounting;
    private final Clock clock;

    FleetPage(VaultQueries vaults, FleetQueries fleet, HostInventory inventory, Admission admission,
              AccountingReports accounting, Clock clock) {
        this.vaults = vaults;
        this.fleet = fleet;
        this.inventory = inventory;
        this.admission = admission;
        this.accounting = accounting;
        this.clock = clock;
    }

    @GetMapping("/fleet")
    String fleet(@RequestParam(required = false) String datacenter, Model model) {
        model.addAttribute("datacenters", inventory.datacenters());
        model.addAttribute("counts", fleet.counts());
        return tiles(datacenter, model, "fleet");
    }

    /** Only the tiles and counts, for the page's polling (htmx swaps them in place). */
    @GetMapping("/fleet/tiles")
    String tiles(@RequestParam(required = false) String datacenter, Model model) {
        model.addAttribute("counts", fleet.counts());
        return tiles(datacenter, model, "fleet :: live");
    }

    private String tiles(String datacenter, Model model, String view) {
        String dc = datacenter == null || datacenter.isBlank() ? null : datacenter;
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        Map<Integer, Admission.VaultLoad> loads = admission.loads().stream()
                .collect(Collectors.toMap(Admission.VaultLoad::vaultId, Function.identity()));
        Map<Integer, Long> ingested = accounting.ingestion(null, today, today).stream()
                .collect(Collectors.toMap(AccountingReports.IngestionDay::vaultId, AccountingReports.IngestionDay::bytes, Long::sum));
        List<Tile> tiles = vaults.list(dc, null).stream()
                .map(v -> new Tile(v, loads.get(v.id()), ingested.getOrDefault(v.id(), 0L)))
                .toList();
        model.addAttribute("datacenter", dc);
        model.addAttribute("tiles", tiles);
        model.addAttribute("today", today);
        return view;
    }
}
