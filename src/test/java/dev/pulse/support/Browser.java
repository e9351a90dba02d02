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
        driver.get(url);
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
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new java.io.File(CHROMEDRIVER)).build();
        return new ChromeDriver(service, options);
    }
}
