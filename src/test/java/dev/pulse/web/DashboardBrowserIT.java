package dev.pulse.web;

import static dev.pulse.support.EventBodies.login;
import static dev.pulse.support.EventBodies.payment;
import static dev.pulse.support.EventBodies.score;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pulse.support.RecentDay;
import dev.pulse.support.Browser;
import dev.pulse.support.Poll;
import dev.pulse.support.PulseIT;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** The live page in a real Chromium: rendered by the server, then kept live over the WebSocket (SPEC §5.4). */
class DashboardBrowserIT extends PulseIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private WebDriver browser;
    private WebDriver second;

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
        if (second != null) {
            second.quit();
        }
    }

    @Test
    void shouldRenderFamiliesOnTheServerSoThePageIsUsefulWithoutScripts() throws Exception {
        assumeTrue(Browser.available(), "scripts/test installs chromium and chromium-driver");
        String family = uniqueFamily("static");
        post(score(uniqueId("s"), family, RecentDay.at("09:00:00"), 25));
        Poll.until(Duration.ofSeconds(30), family, () -> familyOrNull(family));

        browser = Browser.start(false);
        Browser.open(browser, "http://127.0.0.1:" + port + "/");
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
        Browser.open(browser, "http://127.0.0.1:" + port + "/");
        Poll.until(Duration.ofSeconds(10), "the page to go live",
                () -> "live".equals(browser.findElement(By.id("connection")).getAttribute("data-state")) ? true : null);
        Object marker = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return window.__pulseMarker = 'same page';");

        String family = uniqueFamily("live");
        post(login(uniqueId("l"), family, RecentDay.at("09:00:00")));
        WebElement row = Poll.until(Duration.ofSeconds(10), family + " row to appear", () -> row(family));
        assertThat(row.findElement(By.cssSelector(".badge")).getText()).isEqualTo("none");

        post(score(uniqueId("s"), family, RecentDay.at("09:05:00"), 40));
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
        Browser.open(browser, "http://127.0.0.1:" + port + "/");
        Poll.until(Duration.ofSeconds(10), "the page to go live",
                () -> "live".equals(browser.findElement(By.id("connection")).getAttribute("data-state")) ? true : null);

        String family = uniqueFamily("feed");
        // 20: critical (< 30), and a risk of 0.7503, below risk_high's 0.8: the family's one alert
        post(score(uniqueId("s"), family, RecentDay.at("09:00:00"), 20));
        WebElement alert = Poll.until(Duration.ofSeconds(10), "an alert for " + family + " in the feed", () ->
                browser.findElements(By.cssSelector("#alerts li")).stream()
                        .filter(li -> li.findElement(By.cssSelector(".family")).getText().equals(family))
                        .findFirst().orElse(null));
        assertThat(alert.findElement(By.cssSelector(".badge")).getText()).isEqualTo("critical");
        assertThat(alert.findElement(By.cssSelector(".pattern")).getText()).isEqualTo("engagement_alert");
    }

    @Test
    void shouldRemoveAnAlertAcknowledgedInOneBrowserFromTheFeedOfAnother() throws Exception {
        assumeTrue(Browser.available(), "scripts/test installs chromium and chromium-driver");
        browser = Browser.start(true);
        second = Browser.start(true);
        for (WebDriver b : List.of(browser, second)) {
            Browser.open(b, "http://127.0.0.1:" + port + "/");
            waitLive(b);
        }
        String family = uniqueFamily("ack");
        // 20: critical (< 30), and a risk of 0.7503, below risk_high's 0.8: the family's one alert
        post(score(uniqueId("s"), family, RecentDay.at("09:00:00"), 20));
        WebElement mine = await(browser).until(d -> alertOf(d, family));
        String detectionId = mine.getAttribute("data-detection-id");
        await(second).until(d -> alertOf(d, family));

        await(browser).until(d -> {
            WebElement alert = alertOf(d, family);
            if (alert == null) {
                return null;
            }
            WebElement button = alert.findElement(By.cssSelector("button.ack"));
            assertThat(button.isDisplayed()).as("the script shows the Acknowledge button").isTrue();
            assertThat(button.getAttribute("aria-label")).contains(family);
            button.click();
            return true;
        });

        await(second).withMessage("the other browser's feed to drop " + detectionId)
                .until(d -> alertOf(d, family) == null);
        await(browser).until(d -> alertOf(d, family) == null);
        Map<String, Object> stored = http.get().uri("/api/detections?family_id={f}", family).exchange()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { }).returnResult().getResponseBody()
                .stream().filter(d -> detectionId.equals(d.get("detection_id"))).findFirst().orElseThrow();
        assertThat(stored).containsEntry("action_type", "acknowledged");

        second.navigate().refresh();
        waitLive(second);
        assertThat(alertOf(second, family)).as("an acknowledged alert is not rendered again").isNull();
    }

    @Test
    void shouldSortAndFilterTheFamiliesTableByMouseAndKeyboard() throws Exception {
        assumeTrue(Browser.available(), "scripts/test installs chromium and chromium-driver");
        String prefix = uniqueFamily("sort");
        String high = prefix + "-a";
        String low = prefix + "-b";
        String middle = prefix + "-c";
        post("[" + String.join(",", score(uniqueId("s"), high, RecentDay.at("09:00:00"), 80),
                score(uniqueId("s"), low, RecentDay.at("09:00:00"), 20),
                score(uniqueId("s"), middle, RecentDay.at("09:00:00"), 55)) + "]");
        for (String family : List.of(high, low, middle)) {
            Poll.until(Duration.ofSeconds(30), family, () -> familyOrNull(family));
        }
        browser = Browser.start(true);
        Browser.open(browser, "http://127.0.0.1:" + port + "/");
        waitLive(browser);

        WebElement filter = browser.findElement(By.id("filter-text"));
        filter.sendKeys(prefix);
        await(browser).withMessage("only the " + prefix + " rows")
                .until(d -> visibleFamilies(d).equals(List.of(low, middle, high)));
        assertThat(browser.findElement(By.id("family-count")).getText()).isEqualTo("3");
        assertThat(browser.getCurrentUrl()).as("the filter is kept in the address").contains("q=" + prefix);

        WebElement score = header("score");
        score.findElement(By.tagName("button")).click();
        await(browser).until(d -> "ascending".equals(header("score").getAttribute("aria-sort")));
        assertThat(visibleFamilies(browser)).containsExactly(low, middle, high);
        assertThat(header("alert").getAttribute("aria-sort")).isEqualTo("none");

        header("score").findElement(By.tagName("button")).sendKeys(Keys.ENTER);
        await(browser).until(d -> "descending".equals(header("score").getAttribute("aria-sort")));
        assertThat(visibleFamilies(browser)).containsExactly(high, middle, low);

        header("family_id").findElement(By.tagName("button")).sendKeys(Keys.SPACE);
        await(browser).until(d -> "ascending".equals(header("family_id").getAttribute("aria-sort")));
        assertThat(visibleFamilies(browser)).containsExactly(high, low, middle);

        new Select(browser.findElement(By.id("filter-level"))).selectByValue("critical");
        await(browser).until(d -> visibleFamilies(d).equals(List.of(low)));

        // Arrow keys move between the rows' links.
        new Select(browser.findElement(By.id("filter-level"))).selectByValue("");
        await(browser).until(d -> visibleFamilies(d).size() == 3);
        WebElement first = row(high).findElement(By.tagName("a"));
        first.sendKeys(Keys.ARROW_DOWN);
        await(browser).until(d -> low.equals(d.switchTo().activeElement().getText()));

        // A live update keeps the chosen order and filter.
        post(score(uniqueId("s"), prefix + "-0", RecentDay.at("09:05:00"), 30));
        await(browser).until(d -> visibleFamilies(d).equals(List.of(prefix + "-0", high, low, middle)));
    }

    @Test
    void shouldFilterOnTheServerWhenScriptsAreOff() throws Exception {
        assumeTrue(Browser.available(), "scripts/test installs chromium and chromium-driver");
        String prefix = uniqueFamily("static-filter");
        post("[" + String.join(",", score(uniqueId("s"), prefix + "-a", RecentDay.at("09:00:00"), 80),
                score(uniqueId("s"), prefix + "-b", RecentDay.at("09:00:00"), 20)) + "]");
        Poll.until(Duration.ofSeconds(30), prefix, () -> familyOrNull(prefix + "-a") != null && familyOrNull(prefix + "-b") != null ? true : null);
        browser = Browser.start(false);
        Browser.open(browser, "http://127.0.0.1:" + port + "/");
        browser.findElement(By.id("filter-text")).sendKeys(prefix);
        new Select(browser.findElement(By.id("filter-level"))).selectByValue("critical");
        browser.findElement(By.id("filter-apply")).click();
        await(browser).until(d -> d.getCurrentUrl().contains("level=critical"));
        assertThat(visibleFamilies(browser)).containsExactly(prefix + "-b");
    }

    @Test
    void shouldShowTheFamilyPageWithScoreChartCountersAndDetectionsThenKeepItLive() throws Exception {
        assumeTrue(Browser.available(), "scripts/test installs chromium and chromium-driver");
        String family = uniqueFamily("page");
        Instant base = aheadOfEveryWatermark();
        post("[" + String.join(",",
                score(uniqueId("s"), family, at(base, 0), 70),
                score(uniqueId("s"), family, at(base, 2), 62),
                score(uniqueId("s"), family, at(base, 4), 48),
                payment(uniqueId("p"), family, at(base, 5), "120.00"),
                payment(uniqueId("p"), family, at(base, 6), "120.00")) + "]");
        Poll.until(Duration.ofSeconds(30), "the duplicate payment of " + family, () -> http.get()
                .uri("/api/detections?family_id={f}&pattern=duplicate_payment", family).exchange()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { }).returnResult().getResponseBody()
                .stream().findFirst().orElse(null));

        browser = Browser.start(true);
        Browser.open(browser, "http://127.0.0.1:" + port + "/");
        await(browser).until(d -> {
            WebElement r = row(family);
            if (r == null) {
                return null;
            }
            r.findElement(By.cssSelector("td.family a")).click();
            return true;
        });
        await(browser).until(d -> d.getCurrentUrl().endsWith("/families/" + family));
        assertThat(browser.findElement(By.id("family-id")).getText()).isEqualTo(family);
        assertThat(browser.findElement(By.cssSelector("[data-field=current_engagement_score]")).getText()).isEqualTo("48");

        WebElement chart = browser.findElement(By.id("score-chart"));
        assertThat(chart.findElements(By.cssSelector(".dots circle"))).hasSize(3);
        assertThat(chart.findElement(By.cssSelector("polyline.score-line")).getAttribute("points")).isNotBlank();
        assertThat(chart.getAttribute("aria-label")).contains("3 windows").contains("latest 48");

        List<WebElement> counters = browser.findElements(By.cssSelector("#counters tbody tr"));
        assertThat(counters).extracting(WebElement::getText).anySatisfy(text -> assertThat(text).contains("PaymentReceived"));

        WebElement duplicate = browser.findElements(By.cssSelector("#detections > li")).stream()
                .filter(li -> li.findElement(By.cssSelector(".pattern")).getText().equals("duplicate_payment")).findFirst().orElseThrow();
        assertThat(duplicate.findElements(By.cssSelector("table.matched tbody tr"))).hasSize(2)
                .allSatisfy(tr -> assertThat(tr.getText()).contains("PaymentReceived").contains("120"));

        waitLive(browser);
        Object marker = ((JavascriptExecutor) browser).executeScript("return window.__pulseMarker = 'same page';");
        post(score(uniqueId("s"), family, at(base, 7), 91));
        await(browser).withMessage("the new score without reload")
                .until(d -> d.findElement(By.cssSelector("[data-field=current_engagement_score]")).getText().equals("91"));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.__pulseMarker;")).isEqualTo(marker);
    }

    @Test
    void shouldAnswerAnUnknownFamilyWithANotFoundPage() throws Exception {
        String family = uniqueFamily("nobody");
        http.get().uri("/families/{id}", family).exchange().expectStatus().isNotFound()
                .expectBody(String.class).value(body -> assertThat(body).contains("No such family").contains(family));
    }

    @Test
    void shouldRenderAHostileFamilyIdAsTextOnTheDashboardAndOnItsPage() throws Exception {
        assumeTrue(Browser.available(), "scripts/test installs chromium and chromium-driver");
        String family = "<script>alert(1)</script><img src=x onerror=alert(2)>" + uniqueFamily("");
        browser = Browser.start(true);
        Browser.open(browser, "http://127.0.0.1:" + port + "/");
        waitLive(browser);
        // Arrives over the socket first (rendered by the script), with an alert in the feed; at the newest event
        // time so far, so that after the reload it is still among the feed's 50 newest by detected_at...
        post(score(uniqueId("s"), family, at(aheadOfEveryWatermark(), 0), 10));
        await(browser).until(d -> familyCellShows(row(family), "td.family", family));
        await(browser).until(d -> alertOf(d, family));
        assertNoDialog(browser);

        // ...then rendered by the server.
        browser.navigate().refresh();
        waitLive(browser);
        await(browser).until(d -> familyCellShows(row(family), "td.family", family));
        await(browser).until(d -> familyCellShows(alertOf(d, family), ".family", family));
        assertThat(browser.findElements(By.cssSelector("#families img, #alerts img"))).isEmpty();
        assertNoDialog(browser);

        await(browser).until(d -> {
            WebElement r = row(family);
            if (r == null) {
                return null;
            }
            r.findElement(By.cssSelector("td.family a")).click();
            return true;
        });
        WebElement title = await(browser).until(d -> d.findElements(By.id("family-id")).stream().findFirst().orElse(null));
        assertThat(title.getText()).isEqualTo(family);
        assertThat(browser.getTitle()).isEqualTo("Pulse — " + family);
        assertThat(browser.findElements(By.cssSelector("main img"))).isEmpty();
        waitLive(browser);
        assertNoDialog(browser);
    }

    /**
     * Issue 8: ids and event data arriving over the socket on the family page (a detection with its matched events,
     * changed metrics) are text too. The payloads set a marker instead of only opening a dialog, so that a script
     * that ran is caught even where a dialog would not be (an onerror handler, a script inserted as HTML).
     */
    @Test
    void shouldShowHostileIdsAsTextWhenTheyArriveLiveOnTheFamilyPage() throws Exception {
        assumeTrue(Browser.available(), "scripts/test installs chromium and chromium-driver");
        String family = "<script>window.__pulseXss=1</script><img src=x onerror=window.__pulseXss=2>" + uniqueFamily("");
        String first = "<img src=x onerror=window.__pulseXss=3>" + uniqueId("p");
        String second = "<script>alert(4)</script>" + uniqueId("q");
        Instant base = aheadOfEveryWatermark();
        post(login(uniqueId("l"), family, at(base, 0)));
        Poll.until(Duration.ofSeconds(30), "the family row", () -> familyOrNull(family));

        browser = Browser.start(true);
        Browser.open(browser, "http://127.0.0.1:" + port + "/families/" + org.springframework.web.util.UriUtils.encodePathSegment(family,
                java.nio.charset.StandardCharsets.UTF_8));
        waitLive(browser);
        assertThat(browser.findElements(By.cssSelector("#detections > li"))).isEmpty();
        // A duplicate charge whose events carry hostile ids: the detection and its matched events come over the socket.
        post("[" + payment(first, family, at(base, 1), "120.00") + "," + payment(second, family, at(base, 2), "120.00") + "]");
        for (int view = 0; view < 2; view++) {
            WebElement detection = await(browser).withMessage("the duplicate_payment detection").until(d ->
                    d.findElements(By.cssSelector("#detections > li")).stream()
                            .filter(li -> li.findElement(By.cssSelector(".pattern")).getText().equals("duplicate_payment"))
                            .findFirst().orElse(null));
            assertThat(detection.findElements(By.cssSelector("table.matched td.event-id")))
                    .extracting(WebElement::getText).containsExactlyInAnyOrder(first, second);
            await(browser).withMessage("the live payment count")
                    .until(d -> d.findElement(By.cssSelector("[data-field=payments_last_7_days]")).getText().equals("2"));
            assertThat(browser.findElement(By.id("family-id")).getText()).isEqualTo(family);
            assertThat(browser.findElements(By.cssSelector("main img, main script"))).as("no element made from the data").isEmpty();
            assertThat(((JavascriptExecutor) browser).executeScript("return window.__pulseXss === undefined;"))
                    .as("no script of the data ran").isEqualTo(true);
            assertNoDialog(browser);
            // ...and the same once rendered by the server
            browser.navigate().refresh();
            waitLive(browser);
        }
    }

    @Test
    void shouldFitAPhoneScreenWithoutSidewaysScrolling() throws Exception {
        assumeTrue(Browser.available(), "scripts/test installs chromium and chromium-driver");
        String family = uniqueFamily("phone-with-a-rather-long-family-identifier");
        post(score(uniqueId("s"), family, RecentDay.at("09:00:00"), 35));
        Poll.until(Duration.ofSeconds(30), family, () -> familyOrNull(family));
        browser = Browser.start(true);
        browser.manage().window().setSize(new Dimension(390, 844));
        JavascriptExecutor js = (JavascriptExecutor) browser;
        for (String path : List.of("/", "/families/" + family)) {
            Browser.open(browser, "http://127.0.0.1:" + port + path);
            waitLive(browser);
            long viewport = ((Number) js.executeScript("return document.documentElement.clientWidth;")).longValue();
            long content = ((Number) js.executeScript("return document.documentElement.scrollWidth;")).longValue();
            assertThat(viewport).as("the window really is phone-sized").isLessThan(500);
            Object wide = js.executeScript("""
                    return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                        .slice(0, 5).map(e => e.tagName + '.' + e.className).join(', ');""");
            assertThat(content).as(path + " fits " + viewport + " px; too wide: " + wide).isLessThanOrEqualTo(viewport);
        }
    }

    /** A time after every partition's stream time (and the wall clock): counter windows there are still open. */
    private Instant aheadOfEveryWatermark() {
        return latestStreamTime().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(2));
    }

    private static String at(Instant base, int minutes) {
        return base.plus(Duration.ofMinutes(minutes)).plusSeconds(10).toString();
    }

    /** Waits on the page; a row replaced by a live update while being read is read again. */
    private static FluentWait<WebDriver> await(WebDriver b) {
        return new WebDriverWait(b, WAIT).ignoring(StaleElementReferenceException.class);
    }

    private static void waitLive(WebDriver b) {
        await(b).withMessage("the page to go live")
                .until(d -> "live".equals(d.findElement(By.id("connection")).getAttribute("data-state")));
    }

    private static void assertNoDialog(WebDriver b) {
        try {
            String text = b.switchTo().alert().getText();
            throw new AssertionError("a script ran and opened a dialog: " + text);
        } catch (NoAlertPresentException expected) {
            // no script of the family id ran
        }
    }

    /** True when the element (a row or an alert, null while absent) shows the family id as text. */
    private static Boolean familyCellShows(WebElement element, String css, String family) {
        return element != null && family.equals(element.findElement(By.cssSelector(css)).getText());
    }

    private static WebElement alertOf(WebDriver b, String family) {
        return b.findElements(By.cssSelector("#alerts li")).stream()
                .filter(li -> li.findElement(By.cssSelector(".family")).getText().equals(family))
                .findFirst().orElse(null);
    }

    private WebElement header(String key) {
        return browser.findElements(By.cssSelector("#families thead th")).stream()
                .filter(th -> key.equals(th.getAttribute("data-sort"))).findFirst().orElseThrow();
    }

    private static List<String> visibleFamilies(WebDriver b) {
        List<String> ids = new ArrayList<>();
        for (WebElement tr : b.findElements(By.cssSelector("#families tbody tr"))) {
            if (tr.isDisplayed()) {
                ids.add(tr.getAttribute("data-family-id"));
            }
        }
        return ids;
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
