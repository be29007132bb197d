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

    /**
     * What one tile shows, as text: the vault, its health, state and writability, members, tomes by health,
     * utilization, open connections against the limit, and today's ingested bytes. Made here, not in the template:
     * a hundred tiles of expressions were most of the page's time.
     */
    record Tile(int id, String name, String health, String place, String writable, String members,
                List<Map.Entry<String, Integer>> tomes, String used, String connections, String ingested) {

        static Tile of(VaultQueries.VaultSummary v, Admission.VaultLoad load, long bytesToday, Format fmt) {
            List<Map.Entry<String, Integer>> tomes = v.tomesByHealth().entrySet().stream().filter(e -> e.getValue() > 0)
                    .map(e -> Map.entry(e.getKey().name(), e.getValue())).toList();
            return new Tile(v.id(), v.id() + " " + v.name(), v.health().name(), v.datacenter() + " · " + v.state(),
                    v.writable() ? "writable" : "not writable", v.membersOk() + "/" + v.members(), tomes,
                    fmt.percent(v.capacity().utilization()), load == null ? "–" : load.active() + " / " + load.limit().limit(),
                    fmt.bytes(bytesToday));
        }
    }

    /** Host and drive counts, shared by every viewer for a few seconds: counting 120,000 drives is the page's dearest query. */
    private record Counts(java.time.Instant at, Map<String, Object> value) {
    }

    private final java.util.concurrent.atomic.AtomicReference<Counts> counts = new java.util.concurrent.atomic.AtomicReference<>();
    private final VaultQueries vaults;
    private final FleetQueries fleet;
    private final HostInventory inventory;
    private final Admission admission;
    private final AccountingReports accounting;
    private final Format fmt;
    private final WebSettings settings;
    private final Clock clock;

    FleetPage(VaultQueries vaults, FleetQueries fleet, HostInventory inventory, Admission admission,
              AccountingReports accounting, Format fmt, WebSettings settings, Clock clock) {
        this.fmt = fmt;
        this.settings = settings;
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
        model.addAttribute("counts", counts());
        return tiles(datacenter, model, "fleet");
    }

    /** Only the tiles and counts, for the page's polling (htmx swaps them in place). */
    @GetMapping("/fleet/tiles")
    String tiles(@RequestParam(required = false) String datacenter, Model model) {
        model.addAttribute("counts", counts());
        return tiles(datacenter, model, "fleet :: live");
    }

    private Map<String, Object> counts() {
        java.time.Instant now = clock.instant();
        Counts c = counts.get();
        if (c == null || !now.isBefore(c.at().plus(settings.countsFresh())) || now.isBefore(c.at())) {
            c = new Counts(now, fleet.counts());
            counts.set(c);
        }
        return c.value();
    }

    private String tiles(String datacenter, Model model, String view) {
        String dc = datacenter == null || datacenter.isBlank() ? null : datacenter;
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        Map<Integer, Admission.VaultLoad> loads = admission.loads().stream()
                .collect(Collectors.toMap(Admission.VaultLoad::vaultId, Function.identity()));
        Map<Integer, Long> ingested = accounting.ingestion(null, today, today).stream()
                .collect(Collectors.toMap(AccountingReports.IngestionDay::vaultId, AccountingReports.IngestionDay::bytes, Long::sum));
        List<Tile> tiles = vaults.list(dc, null).stream()
                .map(v -> Tile.of(v, loads.get(v.id()), ingested.getOrDefault(v.id(), 0L), fmt))
                .toList();
        model.addAttribute("datacenter", dc);
        model.addAttribute("tiles", tiles);
        model.addAttribute("today", today);
        model.addAttribute("refresh", "every " + Math.max(1, settings.refreshInterval().toSeconds()) + "s");
        return view;
    }
}
