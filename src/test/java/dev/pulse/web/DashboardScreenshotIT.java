package dev.pulse.web;

import static dev.pulse.support.EventBodies.event;
import static dev.pulse.support.EventBodies.login;
import static dev.pulse.support.EventBodies.payment;
import static dev.pulse.support.EventBodies.score;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pulse.support.Browser;
import dev.pulse.support.Poll;
import dev.pulse.support.PulseIT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Writes the README's screenshots, {@code dashboard.png} and {@code family.png} at 1280×800, with live data,
 * into the directory named by {@code PULSE_SCREENSHOTS}; skipped without it. Run it alone, on a fresh
 * database (its 30 days of history must not be late for the counter windows of a busy partition):
 * <pre>
 * source scripts/lib/postgres.sh &amp;&amp; pulse_pg_ensure &amp;&amp; pulse_pg_recreate_db pulse_shots
 * PULSE_DB_NAME=pulse_shots PULSE_SCREENSHOTS=docs SE_OFFLINE=true mvn -B -o verify -Dtest=DashboardScreenshotIT
 * </pre>
 */
class DashboardScreenshotIT extends PulseIT {

    private static final String[] HOUSEHOLDS = {"ash", "birch", "cedar", "elm", "fir", "hazel", "juniper", "larch", "maple",
            "oak", "rowan", "willow"};
    /** Where each household's score starts and how much it moves per day. */
    private static final int[][] COURSE = {{85, 0}, {78, -1}, {64, -2}, {90, 0}, {72, 1}, {58, -1}, {81, -3}, {66, 0},
            {45, 1}, {92, -1}, {70, -2}, {88, 0}};

    private WebDriver browser;

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void shouldWriteTheReadmeScreenshotsWithLiveData() throws Exception {
        String directory = System.getenv("PULSE_SCREENSHOTS");
        assumeTrue(directory != null && !directory.isBlank(), "set PULSE_SCREENSHOTS=docs to write the README's screenshots");
        assumeTrue(Browser.available(), "scripts/test installs chromium and chromium-driver");
        Path out = Path.of(directory);
        Files.createDirectories(out);

        Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(10));
        Instant start = end.minus(Duration.ofDays(30));
        Random random = new Random(42);
        List<String> history = new ArrayList<>();
        // Every 8 hours for 30 days: a score for each household, a login most of the time, a payment now and then.
        for (Instant t = start; t.isBefore(end); t = t.plus(Duration.ofHours(8))) {
            long day = Duration.between(start, t).toDays();
            for (int h = 0; h < HOUSEHOLDS.length; h++) {
                String family = "household-" + HOUSEHOLDS[h];
                String id = family + "-" + t.getEpochSecond();
                int value = Math.max(3, Math.min(100, COURSE[h][0] + (int) (COURSE[h][1] * day) + random.nextInt(9) - 4));
                history.add(score("score-" + id, family, t.plusSeconds(h).toString(), value));
                if (random.nextInt(4) > 0) {
                    history.add(login("login-" + id, family, t.plusSeconds(60 + h).toString()));
                }
                if (random.nextInt(9) == 0) {
                    history.add(payment("pay-" + id, family, t.plusSeconds(120 + h).toString(), "%d.00".formatted(40 + random.nextInt(60))));
                }
            }
        }
        // Patterns for the alert feed, near the end of the history.
        Instant recent = end.minus(Duration.ofHours(2));
        history.add(payment("dup-1", "household-oak", recent.toString(), "250.00"));
        history.add(payment("dup-2", "household-oak", recent.plusSeconds(90).toString(), "250.00"));
        for (int i = 0; i < 3; i++) {
            history.add(event("bounce-" + i, "EmailBounced", "household-elm", recent.plusSeconds(600 + 60L * i).toString(),
                    "{\"email\": \"elm@example.com\"}"));
        }
        history.add(score("drop-1", "household-rowan", recent.plusSeconds(1200).toString(), 72));
        history.add(score("drop-2", "household-rowan", recent.plusSeconds(1380).toString(), 24));
        post(history);
        Poll.until(Duration.ofSeconds(60), "the history", () -> familyOrNull("household-willow"));

        // Live traffic for the throughput / lag / latency charts, at the wall clock; the page opens once the
        // history's catch-up (latencies of days) has left the status figures.
        live(random, Duration.ofSeconds(5));
        browser = Browser.start(true);
        viewport(browser, 1280, 800);
        Browser.open(browser, "http://127.0.0.1:" + port + "/?q=household");
        new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(d -> "live".equals(d.findElement(By.id("connection")).getAttribute("data-state")));
        live(random, Duration.ofSeconds(25));
        new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(d -> d.findElements(By.cssSelector("#status-charts polyline")).size() >= 4);
        Files.write(out.resolve("dashboard.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

        Browser.open(browser, "http://127.0.0.1:" + port + "/families/household-cedar");
        new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(d -> "live".equals(d.findElement(By.id("connection")).getAttribute("data-state")));
        Files.write(out.resolve("family.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    /** A few events a second of the kinds nobody alerts on, and now and then a score, for {@code duration}. */
    private void live(Random random, Duration duration) throws InterruptedException {
        String[] types = {"EmailDelivered", "EmailOpened"};
        Instant until = Instant.now().plus(duration);
        int n = 0;
        while (Instant.now().isBefore(until)) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String family = "household-" + HOUSEHOLDS[random.nextInt(HOUSEHOLDS.length)];
                batch.add(event("live-" + now.toEpochMilli() + "-" + i, types[random.nextInt(types.length)], family, now.toString(), "{}"));
            }
            if (n++ % 8 == 0) {
                batch.add(score("live-score-" + now.toEpochMilli(), "household-cedar", now.toString(), 20 + random.nextInt(8)));
            }
            post(batch);
            Thread.sleep(250);  // pacing the load, not waiting for a result
        }
    }

    /** Sizes the window so that the page itself (the screenshot) is exactly width × height. */
    private static void viewport(WebDriver browser, int width, int height) {
        browser.get("about:blank");
        JavascriptExecutor js = (JavascriptExecutor) browser;
        long innerWidth = ((Number) js.executeScript("return window.innerWidth;")).longValue();
        long innerHeight = ((Number) js.executeScript("return window.innerHeight;")).longValue();
        Dimension outer = browser.manage().window().getSize();
        browser.manage().window().setSize(new Dimension(width + (int) (outer.getWidth() - innerWidth),
                height + (int) (outer.getHeight() - innerHeight)));
    }

    private void post(List<String> events) {
        for (int from = 0; from < events.size(); from += 5000) {
            String body = "[" + String.join(",", events.subList(from, Math.min(events.size(), from + 5000))) + "]";
            http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                    .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);
        }
    }
}
