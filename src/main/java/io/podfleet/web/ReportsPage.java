package io.podfleet.web;

import io.podfleet.accounting.AccountingReports;
import io.podfleet.vault.VaultQueries;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The comparisons that decide between hardware: daily ingestion of two or more vaults on one chart, cost per GB of
 * each hardware profile month by month, and failure rates by model.
 */
@Controller
class ReportsPage {

    private final AccountingReports accounting;
    private final VaultQueries vaults;
    private final Clock clock;

    ReportsPage(AccountingReports accounting, VaultQueries vaults, Clock clock) {
        this.accounting = accounting;
        this.vaults = vaults;
        this.clock = clock;
    }

    @GetMapping("/reports")
    String reports(@RequestParam(required = false) List<Integer> vault, @RequestParam(required = false) LocalDate from,
                   @RequestParam(required = false) LocalDate to, @RequestParam(defaultValue = "0") long minDriveDays, Model model) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate end = to == null ? today : to;
        LocalDate start = from == null ? end.minusDays(29) : from;
        if (start.isAfter(end) || start.plusDays(366).isBefore(end)) {
            model.addAttribute("error", "The range must run forwards and span at most 366 days; showing the 30 days to " + end + ".");
            start = end.minusDays(29);
        }
        List<VaultQueries.VaultSummary> all = vaults.list(null, null);
        List<Integer> chosen = vault == null || vault.isEmpty() ? all.stream().limit(4).map(VaultQueries.VaultSummary::id).toList() : vault;
        model.addAttribute("vaults", all);
        model.addAttribute("chosen", chosen);
        model.addAttribute("from", start);
        model.addAttribute("to", end);
        model.addAttribute("minDriveDays", minDriveDays);

        List<String> days = new ArrayList<>();
        for (LocalDate d = start; !d.isAfter(end); d = d.plusDays(1)) {
            days.add(d.toString());
        }
        List<AccountingReports.IngestionDay> ingestion = chosen.isEmpty() ? List.of() : accounting.ingestion(chosen, start, end);
        Map<String, List<? extends Number>> perVault = new LinkedHashMap<>();
        for (Integer id : chosen) {
            Map<String, Double> byDay = new LinkedHashMap<>();
            ingestion.stream().filter(d -> d.vaultId() == id).forEach(d -> byDay.put(d.day().toString(), d.bytes() / 1e9));
            perVault.put("vault " + id, days.stream().map(d -> byDay.getOrDefault(d, 0.0)).toList());
        }
        model.addAttribute("ingestion", ingestion);
        model.addAttribute("ingestionChart", Charts.line(new Charts.Line("Daily ingestion per vault", "GB", days, perVault)));

        YearMonth last = YearMonth.from(end);
        YearMonth first = last.minusMonths(23);
        List<String> months = new ArrayList<>();
        for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
            months.add(m.toString());
        }
        Map<String, List<? extends Number>> perProfile = new LinkedHashMap<>();
        List<AccountingReports.ProfileCost> profiles = accounting.profiles();
        for (AccountingReports.ProfileCost p : profiles) {
            perProfile.put(p.profileId(), accounting.monthly(p.profileId(), first, last).stream()
                    .map(m -> m.cost().perRawGb() == null ? null : (Number) m.cost().perRawGb()).toList());
        }
        model.addAttribute("profiles", profiles);
        model.addAttribute("costChart", Charts.line(new Charts.Line("Cost per raw GB by hardware profile", "$/GB", months, perProfile)));
        // failure rates need a long window to mean anything: the year to the range's end
        model.addAttribute("afrFrom", end.minusDays(364));
        model.addAttribute("afr", accounting.afr(end.minusDays(364), end, minDriveDays, "model"));
        return "reports";
    }
}
