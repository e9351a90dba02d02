package dev.pulse.web;

import static dev.pulse.support.RecentDay.at;
import dev.pulse.support.TestCredentials;
import static dev.pulse.support.EventBodies.score;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pulse.support.Browser;
import dev.pulse.support.PulseServer;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The server goes away under an open dashboard and comes back (SPEC §5.4: automatic reconnect and resync).
 * Runs its own Pulse ({@link PulseServer}), twice in a row on one port.
 */
class DashboardReconnectIT {

    private final PulseServer server = PulseServer.fresh("reconnect", Map.of());
    private WebDriver browser;

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        server.close();
    }

    @Test
    void shouldReconnectAndResyncWhenTheServerRestarts() throws Exception {
        assumeTrue(Browser.available(), "scripts/test installs chromium and chromium-driver");
        int port = server.port();
        server.start();
        String before = "before-" + UUID.randomUUID().toString().substring(0, 8);
        post(port, score("s-" + UUID.randomUUID(), before, at("09:00:00"), 60));

        browser = Browser.start(true);
        Browser.open(browser, "http://127.0.0.1:" + port + "/");
        await(browser, Duration.ofSeconds(20)).until(d -> state(d).equals("live") && row(d, before));
        assertThat(browser.findElement(By.id("connection")).getAttribute("data-connections")).isEqualTo("1");
        Object marker = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return window.__pulseMarker = 'same page';");

        server.stop();
        await(browser, Duration.ofSeconds(20)).withMessage("the indicator to show the lost connection")
                .until(d -> state(d).equals("offline"));
        assertThat(browser.findElement(By.id("connection")).getText()).contains("reconnecting");

        server.start();
        // Backoff is at most 10 s (jittered), so the page is back well within this.
        await(browser, Duration.ofSeconds(40)).withMessage("the page to reconnect and take a fresh snapshot")
                .until(d -> state(d).equals("live")
                        && "2".equals(d.findElement(By.id("connection")).getAttribute("data-connections")));
        String after = "after-" + UUID.randomUUID().toString().substring(0, 8);
        post(port, score("s-" + UUID.randomUUID(), after, at("09:10:00"), 20));
        await(browser, Duration.ofSeconds(20)).withMessage("an event posted to the new server to show")
                .until(d -> row(d, after) && row(d, before));
        assertThat(((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return window.__pulseMarker;"))
                .as("the page was never reloaded").isEqualTo(marker);
    }

    private static void post(int port, String body) {
        TestCredentials.http("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30)).build()
                .post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);
    }

    private static FluentWait<WebDriver> await(WebDriver b, Duration timeout) {
        return new WebDriverWait(b, timeout).ignoring(StaleElementReferenceException.class);
    }

    private static String state(WebDriver d) {
        return String.valueOf(d.findElement(By.id("connection")).getAttribute("data-state"));
    }

    private static boolean row(WebDriver d, String family) {
        return d.findElements(By.cssSelector("#families tbody tr")).stream()
                .anyMatch(tr -> family.equals(tr.getAttribute("data-family-id")));
    }

}
