package io.podfleet.web;

import io.podfleet.accounting.AccountingReports;
import io.podfleet.admission.Admission;
import io.podfleet.platform.problem.DomainProblem;
import io.podfleet.vault.VaultEvents;
import io.podfleet.vault.VaultQueries;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.HtmlUtils;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One vault: the tome matrix as a heat map, members, capacity, connection limit, ingestion, events. */
@Controller
class VaultPage {

    /**
     * One cell of the heat map, decided here rather than in the template (1,200 cells a page): the link to the drive
     * (null for an empty slot), the colour class from the drive's state, the mark (× lost, ! at risk) and the tooltip.
     */
    record Cell(String href, String colour, String status, String mark, String tip) {
    }

    record Row(int tome, io.podfleet.vault.TomeHealth health, List<Cell> cells) {
    }

    private final VaultQueries vaults;
    private final VaultEvents events;
    private final Admission admission;
    private final AccountingReports accounting;
    private final Clock clock;

    VaultPage(VaultQueries vaults, VaultEvents events, Admission admission, AccountingReports accounting, Clock clock) {
        this.vaults = vaults;
        this.events = events;
        this.admission = admission;
        this.accounting = accounting;
        this.clock = clock;
    }

    @GetMapping("/vaults/{id}")
    String vault(@PathVariable int id, Model model) {
        VaultQueries.VaultDetail detail = vaults.one(id);
        model.addAttribute("v", detail.vault());
        model.addAttribute("members", detail.members());
        VaultQueries.Matrix matrix = vaults.matrix(id);
        model.addAttribute("matrix", matrix);
        model.addAttribute("matrixRows", html(matrix.tomes().stream().map(VaultPage::row).toList()));
        model.addAttribute("load", admission.load(id).orElse(null));
        model.addAttribute("events", events.of(id, null, 50));
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        List<AccountingReports.IngestionDay> days = accounting.ingestion(List.of(id), today.minusDays(29), today);
        model.addAttribute("days", days);
        Map<String, List<? extends Number>> series = new LinkedHashMap<>();
        series.put("ingested GB", days.stream().map(d -> d.bytes() / 1e9).toList());
        series.put("stored growth GB", days.stream().map(d -> d.storedBytesGrowth() == null ? null : d.storedBytesGrowth() / 1e9).toList());
        model.addAttribute("ingestionChart", Charts.line(new Charts.Line("Daily ingestion, last 30 days", "GB",
                days.stream().map(d -> d.day().toString()).toList(), series)));
        return "vault";
    }

    static Row row(VaultQueries.TomeRow t) {
        List<Cell> cells = new java.util.ArrayList<>(t.shards().size());
        for (io.podfleet.vault.Shard s : t.shards()) {
            String mark = switch (s.status()) {
                case LOST -> "×";
                case AT_RISK -> "!";
                case OK -> "";
            };
            String tip = "tome " + t.tome() + " pos " + s.position() + ": " + (s.serial() == null ? "no drive" : s.serial() + " " + s.driveState())
                    + (s.why() == null ? "" : " — " + s.why());
            cells.add(new Cell(s.driveId() == null ? null : "/drives/" + s.driveId(), "s-" + (s.driveState() == null ? "EMPTY" : s.driveState()),
                    s.status().name(), mark, tip));
        }
        return new Row(t.tome(), t.health(), cells);
    }

    /**
     * The heat map's rows as HTML, written here: through the template engine, 1,200 cells took most of the page's
     * time. Every text is escaped.
     */
    static String html(List<Row> rows) {
        StringBuilder b = new StringBuilder(rows.size() * 2600);
        for (Row r : rows) {
            b.append("<tr><th>").append(r.tome()).append("</th>");
            for (Cell c : r.cells()) {
                b.append("<td class=\"").append(c.status()).append("\">");
                if (c.href() != null) {
                    b.append("<a href=\"").append(c.href()).append("\" class=\"");
                } else {
                    b.append("<span class=\"");
                }
                b.append(HtmlUtils.htmlEscape(c.colour())).append("\" title=\"").append(HtmlUtils.htmlEscape(c.tip())).append("\">")
                        .append(c.mark()).append(c.href() != null ? "</a>" : "</span>").append("</td>");
            }
            b.append("<td><span class=\"badge ").append(r.health()).append("\">").append(r.health()).append("</span></td></tr>\n");
        }
        return b.toString();
    }

    @PostMapping("/vaults/{id}/connection-limit")
    @PreAuthorize("hasRole('OPERATOR')")
    String limit(@PathVariable int id, @RequestParam(required = false) String limit, @RequestParam(required = false) String confirm,
                 Model model, RedirectAttributes flash) {
        Integer value;
        try {
            value = limit == null || limit.isBlank() ? null : Integer.valueOf(limit.trim());
        } catch (NumberFormatException e) {
            flash.addFlashAttribute("error", "The limit must be a whole number, or empty to clear the override.");
            return "redirect:/vaults/" + id;
        }
        if (!Confirmation.given(confirm)) {
            return Confirmation.ask(model, value == null ? "Clear the operator limit of vault " + id + "? Its scheduled limit applies again."
                            : "Set vault " + id + "'s connection limit to " + value + "? It overrides the burn-in and normal limits.",
                    "/vaults/" + id + "/connection-limit", Map.of("limit", value == null ? "" : value.toString()), "/vaults/" + id);
        }
        try {
            admission.setLimit(id, value);
            flash.addFlashAttribute("done", value == null ? "Operator limit cleared." : "Connection limit set to " + value + ".");
        } catch (DomainProblem refused) {
            flash.addFlashAttribute("error", refused.getMessage());
        }
        return "redirect:/vaults/" + id;
    }
}
