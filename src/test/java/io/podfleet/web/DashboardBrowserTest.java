package io.podfleet.web;

import io.podfleet.simulate.Simulator;
import io.podfleet.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real browser against a real server with simulated agents: sign in, fleet -> vault -> the tome
 * cell of a failed drive -> the drive -> its host; an OPERATOR drains the host; a VIEWER is offered no change.
 */
class DashboardBrowserTest extends ServerTest {

    @RegisterExtension
    final Browser browser = new Browser();

    @Test
    void anOperatorFollowsAFailedDriveFromTheFleetToItsHostAndDrainsIt() throws Exception {
        String operatorToken = token("OPERATOR");
        long[] hosts = new long[3];
        try (Simulator fleet = simulatedHosts(operatorToken, "web", 3, 12)) {
            for (int i = 0; i < 3; i++) {
                hosts[i] = fleet.hostId(i);
            }
            var formed = send("POST", "/api/v1/vaults", operatorToken, "{\"id\":4242,\"name\":\"browser-vault\",\"dataShards\":2,"
                    + "\"parityShards\":1,\"hosts\":[" + hosts[0] + "," + hosts[1] + "," + hosts[2] + "]}");
            assertThat(formed.statusCode()).as(formed.body()).isEqualTo(201);
            fleet.failDrive(1, 7); // position 1, slot 7: tome 7
            fleet.reportAll();
        }
        user("olga", "OPERATOR");

        WebDriver web = browser.driver();
        signIn(web, "olga");
        assertThat(web.getCurrentUrl()).endsWith("/fleet");
        WebElement tile = web.findElement(By.cssSelector("a.tile[data-vault='4242']"));
        assertThat(tile.getText()).contains("4242", "browser-vault", "CRITICAL"); // 2 + 1: one lost shard leaves no parity
        browser.snap("fleet");

        tile.click();
        assertThat(waitFor(web, By.id("vault-health")).getText()).isEqualTo("CRITICAL");
        List<WebElement> tome7 = web.findElements(By.cssSelector("#tome-matrix tbody tr")).get(7).findElements(By.cssSelector("td"));
        WebElement failed = tome7.get(1).findElement(By.tagName("a"));
        assertThat(failed.getAttribute("class")).isEqualTo("s-FAILED");
        assertThat(failed.getText()).as("the lost shard is marked").isEqualTo("×");
        assertThat(tome7.get(0).findElement(By.tagName("a")).getAttribute("class")).isEqualTo("s-IN_SERVICE");
        assertThat(web.findElements(By.cssSelector("#tome-matrix a.s-FAILED"))).as("one failed drive in the vault").hasSize(1);
        browser.snap("vault");

        failed.click();
        assertThat(waitFor(web, By.id("drive-state")).getText()).isEqualTo("FAILED");
        assertThat(web.findElement(By.id("verdict")).getText()).isEqualTo("FAILED");
        assertThat(web.findElement(By.id("reasons")).getText()).isNotBlank();
        browser.snap("drive");

        web.findElement(By.id("drive-host")).click();
        new WebDriverWait(web, Duration.ofSeconds(15)).until(d -> d.getCurrentUrl().endsWith("/hosts/" + hosts[1]));
        assertThat(web.findElements(By.cssSelector("#chassis [data-slot]"))).as("a Pod 6.0 draws 60 bays").hasSize(60);
        assertThat(web.findElement(By.cssSelector("#chassis [data-slot='7']")).getAttribute("data-state")).isEqualTo("FAILED");
        assertThat(web.findElement(By.cssSelector("#chassis [data-slot='12']")).getAttribute("data-state")).as("only 12 drives").isEqualTo("EMPTY");
        assertThat(web.findElement(By.id("host-events")).getText()).as("the failure is among the host's drive events").contains("FAILED");
        browser.snap("host");

        new Select(web.findElement(By.id("state"))).selectByValue("DRAINING");
        web.findElement(By.id("reason")).sendKeys("browser test");
        web.findElement(By.id("change-state")).click();
        // wait for the confirmation page: the click returns before it has loaded (CI once found no <main> then)
        waitFor(web, By.id("confirm"));
        assertThat(web.findElement(By.tagName("main")).getText()).contains("from IN_SERVICE to DRAINING");
        browser.snap("confirm");
        web.findElement(By.id("confirm")).click();
        assertThat(waitFor(web, By.id("admin-state")).getText()).isEqualTo("DRAINING");
        assertThat(web.findElement(By.cssSelector(".flash.ok")).getText()).contains("DRAINING");
        assertThat(jdbc.sql("SELECT admin_state FROM host WHERE id = ?").param(hosts[1]).query(String.class).single()).isEqualTo("DRAINING");
        assertThat(jdbc.sql("SELECT actor FROM audit_event WHERE action = 'host.admin-state' AND target = ?")
                .param("host:" + hosts[1]).query(String.class).list()).containsExactly("olga");
        browser.snap("drained");

        // the fleet page refreshes itself: a change made elsewhere shows up without reloading the page
        web.findElement(By.linkText("Fleet")).click();
        new WebDriverWait(web, Duration.ofSeconds(15)).until(d -> d.getCurrentUrl().endsWith("/fleet")
                && !d.findElements(By.cssSelector("a.tile[data-vault='4242']")).isEmpty());
        ((org.openqa.selenium.JavascriptExecutor) web).executeScript("window.notReloaded = true;");
        var maintenance = send("PUT", "/api/v1/hosts/" + hosts[2] + "/admin-state", operatorToken,
                "{\"state\":\"MAINTENANCE\",\"until\":\"2099-01-01T00:00:00Z\",\"reason\":\"live refresh\"}");
        assertThat(maintenance.statusCode()).as(maintenance.body()).isEqualTo(204);
        new WebDriverWait(web, Duration.ofSeconds(20)).until(d -> d.findElement(By.id("live")).getText().contains("MAINTENANCE"));
        assertThat(((org.openqa.selenium.JavascriptExecutor) web).executeScript("return window.notReloaded === true;"))
                .as("swapped in place, not reloaded").isEqualTo(true);
        browser.snap("fleet-refreshed");
    }

    @Test
    void aViewerSeesTheHostButIsOfferedNoChange() throws Exception {
        String operatorToken = token("OPERATOR");
        long host;
        try (Simulator fleet = simulatedHosts(operatorToken, "webv", 1, 4)) {
            host = fleet.hostId(0);
        }
        user("vera", "VIEWER");
        WebDriver web = browser.driver();
        signIn(web, "vera");
        web.get(url("/hosts/" + host).toString());
        assertThat(web.findElement(By.id("admin-state")).getText()).isEqualTo("IN_SERVICE");
        assertThat(web.findElements(By.id("admin-state-form"))).isEmpty();
        assertThat(web.findElement(By.tagName("header")).getText()).contains("vera", "VIEWER").doesNotContain("Users");
        browser.snap("viewer-host");
        web.get(url("/users").toString());
        assertThat(web.findElement(By.tagName("main")).getText()).contains("does not allow this");
        browser.snap("viewer-users");

        // reports: the charts library comes from the jar and draws (a canvas inside each chart), the tables are there
        web.findElement(By.linkText("Reports")).click();
        new WebDriverWait(web, Duration.ofSeconds(15)).until(d -> !d.findElements(By.cssSelector("#ingestion-chart canvas")).isEmpty());
        assertThat(web.findElement(By.id("afr-table")).getText()).contains("model", "drive days", "AFR");
        assertThat(web.findElement(By.id("cost-table")).getText()).contains("backblaze-pod-6.0");
        browser.snap("viewer-reports");
    }

    @Test
    void wrongPasswordIsRefusedAndSigningOutEndsTheSession() throws Exception {
        user("paul", "VIEWER");
        WebDriver web = browser.driver();
        web.get(url("/fleet").toString());
        assertThat(web.getCurrentUrl()).as("sign-in first").contains("/login");
        web.findElement(By.id("username")).sendKeys("paul");
        web.findElement(By.id("password")).sendKeys("not-the-password");
        web.findElement(By.id("sign-in")).click();
        new WebDriverWait(web, Duration.ofSeconds(15)).until(d -> !d.findElements(By.cssSelector(".flash.error")).isEmpty());
        assertThat(web.findElement(By.cssSelector(".flash.error")).getText()).contains("Wrong user name or password");
        signIn(web, "paul");
        web.findElement(By.cssSelector("header button")).click();
        // the click returns before the sign-out's redirect has loaded (CI once read the old address)
        new WebDriverWait(web, Duration.ofSeconds(15)).until(d -> d.getCurrentUrl().contains("/login?logout"));
        assertThat(web.getCurrentUrl()).contains("/login?logout");
        web.get(url("/fleet").toString());
        assertThat(web.getCurrentUrl()).contains("/login");
    }

    private void user(String name, String role) throws Exception {
        var created = send("POST", "/api/v1/users", ADMIN_TOKEN,
                "{\"username\":\"" + name + "\",\"password\":\"" + name + "-password-1\",\"role\":\"" + role + "\"}");
        assertThat(created.statusCode()).as(created.body()).isIn(201, 409);
    }

    /** The element once the page that has it has loaded: a click may return before the next page is there. */
    private static WebElement waitFor(WebDriver web, By element) {
        return new WebDriverWait(web, Duration.ofSeconds(15)).until(d -> d.findElements(element).stream().findFirst().orElse(null));
    }

    private void signIn(WebDriver web, String name) {
        web.get(url("/login").toString());
        web.findElement(By.id("username")).sendKeys(name);
        web.findElement(By.id("password")).sendKeys(name + "-password-1");
        web.findElement(By.id("sign-in")).click();
        new WebDriverWait(web, Duration.ofSeconds(10)).until(d -> !d.getCurrentUrl().contains("/login"));
    }
}
