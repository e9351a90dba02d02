package dev.pulse.support;

import dev.pulse.security.Role;
import java.nio.file.Files;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;
import java.nio.file.Path;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumDriverLogLevel;

/**
 * Debian's Chromium driven headless through Debian's chromedriver (STACK.md). Never lets Selenium
 * Manager download a browser: scripts/test installs both with apt-get.
 */
public final class Browser {

    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private Browser() {
    }

    public static boolean available() {
        return Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER));
    }

    /**
     * Opens {@code url}; when Pulse answers with its login form (SPEC §5.5), logs in as the test admin through the
     * form, as a person would, and waits to be sent back to {@code url}.
     */
    public static void open(WebDriver driver, String url) {
        try {
            driver.get(url);
        } catch (org.openqa.selenium.TimeoutException e) {
            // Once in about six full runs Chromium's first navigation never ended: the driver's log tells what it waited for.
            printLogTail(driver);
            throw e;
        }
        if (driver.getCurrentUrl().contains("/login")) {
            driver.findElement(By.id("username")).sendKeys(TestCredentials.user(Role.ADMIN));
            driver.findElement(By.id("password")).sendKeys(TestCredentials.password(Role.ADMIN));
            driver.findElement(By.cssSelector("#login button[type=submit]")).click();
            new WebDriverWait(driver, Duration.ofSeconds(30)).withMessage("the login form to let the test admin in")
                    .until(d -> !d.getCurrentUrl().contains("/login"));
            if (!driver.getCurrentUrl().equals(url)) {
                driver.get(url);
            }
        }
    }

    public static WebDriver start(boolean javascript) throws java.io.IOException {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,800",
                "--user-data-dir=" + Files.createTempDirectory("pulse-chromium"));
        if (!javascript) {
            options.addArguments("--blink-settings=scriptEnabled=false");
        }
        Path log = Files.createDirectories(Path.of("target", "chromedriver")).resolve("chromedriver-" + System.nanoTime() + ".log");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new java.io.File(CHROMEDRIVER))
                .withLogFile(log.toFile()).withLogLevel(ChromiumDriverLogLevel.INFO).withReadableTimestamp(true).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        // Below the driver's own 3 min read timeout, so that a hung page load is reported by Chromium, with its state.
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        LOGS.put(driver, log);
        return driver;
    }

    private static final java.util.Map<WebDriver, Path> LOGS = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private static void printLogTail(WebDriver driver) {
        Path log = LOGS.get(driver);
        if (log == null || !Files.exists(log)) {
            return;
        }
        try {
            java.util.List<String> lines = Files.readAllLines(log);
            System.err.println("--- last lines of " + log + " ---");
            lines.subList(Math.max(0, lines.size() - 80), lines.size()).forEach(System.err::println);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            System.err.println("could not read " + log + ": " + e);
        }
    }
}
