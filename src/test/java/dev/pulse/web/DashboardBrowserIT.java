package dev.pulse.web;

import static dev.pulse.support.EventBodies.login;
import static dev.pulse.support.EventBodies.score;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pulse.support.Browser;
import dev.pulse.support.Poll;
import dev.pulse.support.PulseIT;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** The live page in a real Chromium: rendered by the server, then kept live over the WebSocket (SPEC §5.4). */
class DashboardBrowserIT extends PulseIT {

    private WebDriver browser;

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void shouldRenderFamiliesOnTheServerSoThePageIsUsefulWithoutScripts() throws Exception {
        assumeTrue(Browser.available(), "scripts/test installs chromium and chromium-driver");
        String family = uniqueFamily("static");
        post(score(uniqueId("s"), family, "2026-11-23T09:00:00Z", 25));
        Poll.until(Duration.ofSeconds(30), family, () -> familyOrNull(family));

        browser = Browser.start(false);
        browser.get("http://127.0.0.1:" + port + "/");
        WebElement row = row(family);
        assertThat(row).as("server-rendered row of " + family).isNotNull();
        assertThat(row.findElement(By.cssSelector(".badge")).getText()).isEqualTo("critical");
        assertThat(row.findElement(By.cssSelector(".score")).getText()).isEqualTo("25");
        assertThat(browser.findElement(By.id("connection")).getText()).contains("not live");
    }

    @Test
    void shouldShowNewFamiliesAndChangedScoresWithoutReload() throws Exception {
        assumeTrue(Browser.available(), "scripts/test installs chromium and chromium-driver");
        browser = Browser.start(true);
        browser.get("http://127.0.0.1:" + port + "/");
        Poll.until(Duration.ofSeconds(10), "the page to go live",
                () -> "live".equals(browser.findElement(By.id("connection")).getAttribute("data-state")) ? true : null);
        Object marker = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return window.__pulseMarker = 'same page';");

        String family = uniqueFamily("live");
        post(login(uniqueId("l"), family, "2026-11-23T09:00:00Z"));
        WebElement row = Poll.until(Duration.ofSeconds(10), family + " row to appear", () -> row(family));
        assertThat(row.findElement(By.cssSelector(".badge")).getText()).isEqualTo("none");

        post(score(uniqueId("s"), family, "2026-11-23T09:05:00Z", 40));
        Poll.until(Duration.ofSeconds(10), family + " row to show the new score", () -> {
            WebElement updated = row(family);
            return updated != null && updated.findElement(By.cssSelector(".score")).getText().equals("40")
                    && updated.findElement(By.cssSelector(".badge")).getText().equals("warning") ? updated : null;
        });
        assertThat(((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return window.__pulseMarker;"))
                .as("no reload happened").isEqualTo(marker);
    }

    @Test
    void shouldShowACriticalDetectionInTheAlertFeedWithoutReload() throws Exception {
        assumeTrue(Browser.available(), "scripts/test installs chromium and chromium-driver");
        browser = Browser.start(true);
        browser.get("http://127.0.0.1:" + port + "/");
        Poll.until(Duration.ofSeconds(10), "the page to go live",
                () -> "live".equals(browser.findElement(By.id("connection")).getAttribute("data-state")) ? true : null);

        String family = uniqueFamily("feed");
        post(score(uniqueId("s"), family, "2026-11-23T09:00:00Z", 12));
        WebElement alert = Poll.until(Duration.ofSeconds(10), "an alert for " + family + " in the feed", () ->
                browser.findElements(By.cssSelector("#alerts li")).stream()
                        .filter(li -> li.findElement(By.cssSelector(".family")).getText().equals(family))
                        .findFirst().orElse(null));
        assertThat(alert.findElement(By.cssSelector(".badge")).getText()).isEqualTo("critical");
        assertThat(alert.findElement(By.cssSelector(".pattern")).getText()).isEqualTo("engagement_alert");
    }

    private WebElement row(String family) {
        List<WebElement> rows = browser.findElements(By.cssSelector("#families tbody tr"));
        return rows.stream().filter(r -> family.equals(r.getAttribute("data-family-id"))).findFirst().orElse(null);
    }

    private void post(String body) {
        http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);
    }
}
