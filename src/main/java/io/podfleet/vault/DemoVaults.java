package io.podfleet.vault;

import io.podfleet.fleet.DemoFleet;
import io.podfleet.fleet.HostInventory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The demo run's vaults: once the simulated fleet is enrolled, forms every vault its datacenters can hold (20
 * healthy hosts with drives in 20 cabinets each), retrying while the hosts send their first reports.
 */
@Component
class DemoVaults {

    private static final Logger log = LoggerFactory.getLogger(DemoVaults.class);

    private final Vaults vaults;
    private final HostInventory inventory;
    private final VaultSettings settings;

    DemoVaults(Vaults vaults, HostInventory inventory, VaultSettings settings) {
        this.vaults = vaults;
        this.inventory = inventory;
        this.settings = settings;
    }

    @EventListener
    void demoFleetStarted(DemoFleet.Started started) {
        Thread former = new Thread(() -> formAll(started.hosts()), "demo-vaults");
        former.setDaemon(true);
        former.start();
    }

    private void formAll(int hosts) {
        int width = settings.dataShards() + settings.parityShards();
        int expected = hosts / width;
        int formed = 0;
        for (int attempt = 0; attempt < 60 && formed < expected; attempt++) {
            for (String datacenter : inventory.datacenters()) {
                try {
                    int id = vaults.form(new Vaults.Formation(null, null, datacenter, null, 0, null, null, null));
                    formed++;
                    log.info("Demo: formed vault {} in {}", id, datacenter);
                } catch (VaultProblems.NotEnoughHosts notYet) {
                    // hosts still sending their first report
                } catch (RuntimeException e) {
                    log.debug("Demo: no vault in {} yet: {}", datacenter, e.toString());
                }
            }
            sleep();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
