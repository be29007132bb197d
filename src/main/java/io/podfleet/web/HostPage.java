package io.podfleet.web;

import io.podfleet.fleet.FleetQueries;
import io.podfleet.fleet.HardwareProfile;
import io.podfleet.fleet.HardwareProfiles;
import io.podfleet.fleet.HostAdministration;
import io.podfleet.fleet.HostInventory;
import io.podfleet.platform.problem.DomainProblem;
import io.podfleet.security.AuditLog;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** One host: its chassis drawn from the hardware profile, facts, shard filesystems, events; admin state changes. */
@Controller
class HostPage {

    /** One bay of the drawing: its slot and the drive in it (null when empty). */
    record Bay(int slot, FleetQueries.DriveView drive) {
    }

    private final FleetQueries fleet;
    private final HostInventory inventory;
    private final HardwareProfiles profiles;
    private final HostAdministration administration;
    private final AuditLog audit;

    HostPage(FleetQueries fleet, HostInventory inventory, HardwareProfiles profiles, HostAdministration administration, AuditLog audit) {
        this.fleet = fleet;
        this.inventory = inventory;
        this.profiles = profiles;
        this.administration = administration;
        this.audit = audit;
    }

    @GetMapping("/hosts/{id}")
    String host(@PathVariable long id, Model model) {
        FleetQueries.HostDetail detail = fleet.host(id);
        HardwareProfile profile = profiles.find(detail.host().profileId()).orElse(null);
        Map<Integer, FleetQueries.DriveView> bySlot = detail.drives().stream().filter(d -> d.slot() != null)
                .collect(Collectors.toMap(FleetQueries.DriveView::slot, Function.identity(), (a, b) -> a));
        model.addAttribute("h", detail.host());
        model.addAttribute("detail", detail);
        model.addAttribute("profile", profile);
        model.addAttribute("bays", bays(profile, bySlot));
        model.addAttribute("columns", profile == null ? 15 : profile.bayLayout().columns());
        model.addAttribute("filesystems", inventory.slots(List.of(id)).stream().filter(s -> s.fs() != null).map(HostInventory.Slot::fs).toList());
        model.addAttribute("audit", audit.forTarget("host:" + id, 30));
        model.addAttribute("events", fleet.hostEvents(id, 50));
        model.addAttribute("states", HostAdministration.AdminState.values());
        return "host";
    }

    /** The bays in drawing order (row by row), each with the slot number its profile's numbering gives it. */
    static List<Bay> bays(HardwareProfile profile, Map<Integer, FleetQueries.DriveView> bySlot) {
        List<Bay> out = new ArrayList<>();
        if (profile == null) {
            bySlot.keySet().stream().sorted().forEach(s -> out.add(new Bay(s, bySlot.get(s))));
            return out;
        }
        HardwareProfile.BayLayout layout = profile.bayLayout();
        for (int r = 0; r < layout.rows(); r++) {
            for (int c = 0; c < layout.columns(); c++) {
                int index = layout.numbering() == HardwareProfile.BayNumbering.ROW_MAJOR ? r * layout.columns() + c : c * layout.rows() + r;
                if (index < profile.driveBays()) {
                    int slot = layout.firstSlot() + index;
                    out.add(new Bay(slot, bySlot.get(slot)));
                }
            }
        }
        return out;
    }

    @PostMapping("/hosts/{id}/admin-state")
    @PreAuthorize("hasRole('OPERATOR')")
    String adminState(@PathVariable long id, @RequestParam String state, @RequestParam(required = false) String until,
                      @RequestParam(required = false) String reason, @RequestParam(required = false) String confirm,
                      Model model, RedirectAttributes flash) {
        HostAdministration.AdminState target;
        Instant end = null;
        try {
            target = HostAdministration.AdminState.valueOf(state);
            if (until != null && !until.isBlank()) {
                end = LocalDateTime.parse(until).toInstant(ZoneOffset.UTC);
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            flash.addFlashAttribute("error", "Choose a state, and for maintenance an end time like 2026-12-01T06:00 (UTC).");
            return "redirect:/hosts/" + id;
        }
        if (!Confirmation.given(confirm)) {
            FleetQueries.HostSummary h = fleet.host(id).host();
            return Confirmation.ask(model, "Change host " + h.hostname() + " from " + h.adminState() + " to " + target
                            + (end == null ? "" : " until " + end) + "?",
                    "/hosts/" + id + "/admin-state",
                    Map.of("state", state, "until", until == null ? "" : until, "reason", reason == null ? "" : reason), "/hosts/" + id);
        }
        try {
            administration.setAdminState(id, target, end, reason == null || reason.isBlank() ? "set in the dashboard" : reason);
            flash.addFlashAttribute("done", "Admin state set to " + target + ".");
        } catch (DomainProblem refused) {
            flash.addFlashAttribute("error", refused.getMessage());
        }
        return "redirect:/hosts/" + id;
    }
}
