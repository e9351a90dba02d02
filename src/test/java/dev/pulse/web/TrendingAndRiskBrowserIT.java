package dev.pulse.web;

import dev.pulse.support.TestCredentials;
import static dev.pulse.support.EventBodies.event;
import static dev.pulse.support.EventBodies.score;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pulse.support.Browser;
import dev.pulse.support.PulseServer;
import dev.pulse.support.TestBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The dashboard's trending panel and risk scores in Chromium, live (SPEC §3.5, §3.7, §5.4): a window that closes
 * while the page is open shows up in the panel, and a family's risk score changes in its row, without a reload.
 * Runs a Pulse of its own ({@link PulseServer}): closing a trending window moves every partition's watermark.
 */
class TrendingAndRiskBrowserIT {

    /** A day of its own for each run (the database may keep earlier runs' counters), at 10:00. */
    private static final Instant WINDOW_START = Instant.parse("2035-01-01T10:00:00Z")
            .plus(Duration.ofDays(new java.util.Random().nextInt(3_000)));

    private final PulseServer server = PulseServer.fresh("trending-browser", Map.of());
    private WebDriver browser;

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        server.close();
    }

    @Test
    void shouldShowAClosingTrendingWindowAndAChangingRiskScoreWithoutAReload() throws Exception {
        assumeTrue(Browser.available(), "scripts/test installs chromium and chromium-driver");
        server.start();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String busy = "busy-" + run;
        String risky = "risky-" + run;
        post(List.of(score("s1-" + run, risky, WINDOW_START.minus(Duration.ofDays(2)).toString(), 85)));

        browser = Browser.start(true);
        Browser.open(browser, server.baseUrl() + "/");
        await(Duration.ofSeconds(20), "the page to go live and show the risky family's row")
                .until(d -> "live".equals(d.findElement(By.id("connection")).getAttribute("data-state")) && !risk(d, risky).isEmpty());
        assertThat(browser.findElement(By.id("trending-empty")).getText()).isEqualTo("No trending window has closed yet.");
        String riskBefore = risk(browser, risky);
        Object marker = ((JavascriptExecutor) browser).executeScript("return window.__pulseMarker = 'same page';");

        // 25 logins of one family in [10:00, 11:00), then every partition moves to 11:04: the window closes.
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            events.add(event("l-" + run + "-" + i, "UserLogin", busy, WINDOW_START.plusSeconds(60L * i + 5).toString(), "{}"));
        }
        for (String family : TestBroker.familyOnEachPartition("clock-" + run)) {
            events.add(event("c-" + family, "UserLogout", family, WINDOW_START.plus(Duration.ofMinutes(64)).toString(), "{}"));
        }
        post(events);
        await(Duration.ofSeconds(60), "the closed window in the trending panel").until(d ->
                d.findElements(By.cssSelector("#trending-families li")).stream().anyMatch(li -> busy.equals(li.getAttribute("data-family-id"))));
        assertThat(browser.findElement(By.cssSelector("#trending-families li[data-family-id='" + busy + "']")).getText())
                .isEqualTo(busy + " 25");
        assertThat(browser.findElement(By.cssSelector("#trending-types li[data-event-type='UserLogin']")).getText())
                .as("25 logins, none in the window before: new").isEqualTo("UserLogin 25 new");
        assertThat(browser.findElement(By.id("trending-window")).getText()).contains("1h/5m window");
        assertThat(browser.findElements(By.id("trending-empty"))).isEmpty();

        // The risky family's engagement collapses: its risk score rises in its row.
        post(List.of(score("s2-" + run, risky, WINDOW_START.minus(Duration.ofDays(1)).toString(), 15)));
        await(Duration.ofSeconds(20), "the risk score to change").until(d -> !risk(d, risky).equals(riskBefore));
        assertThat(Double.parseDouble(risk(browser, risky))).as("risk after the collapse").isGreaterThan(Double.parseDouble(riskBefore));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.__pulseMarker;")).as("never reloaded").isEqualTo(marker);
    }

    private static String risk(WebDriver d, String family) {
        return d.findElements(By.cssSelector("#families tbody tr")).stream()
                .filter(tr -> family.equals(tr.getAttribute("data-family-id")))
                .map(tr -> tr.findElement(By.cssSelector("td.risk")).getText().strip())
                .filter(text -> !text.isEmpty() && !text.equals("—"))
                .findFirst().orElse("");
    }

    private FluentWait<WebDriver> await(Duration timeout, String what) {
        return new WebDriverWait(browser, timeout).withMessage(what).ignoring(StaleElementReferenceException.class);
    }

    private void post(List<String> events) {
        TestCredentials.http(server.baseUrl()).responseTimeout(Duration.ofSeconds(30)).build()
                .post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue("[" + String.join(",", events) + "]")
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);
    }
}
