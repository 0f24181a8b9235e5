package io.hookbridge.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.hookbridge.support.Fixtures;
import io.hookbridge.support.Gateway;
import io.hookbridge.support.Http;
import io.hookbridge.support.Http.Answer;
import io.hookbridge.support.Routes;
import io.hookbridge.support.TestReceiver;
import io.hookbridge.support.TestReceiver.Reply;
import io.hookbridge.support.VendorSigner;

/**
 * The console in a real browser (Debian's chromium, headless, driven through chromium-driver by Selenium), as an
 * operator uses it: sign in with the admin token, filter the events to one meeting's dead-lettered event, open it
 * and read why it failed, fix the receiver, count and replay it, and see it delivered; then the API in Swagger UI.
 * A screenshot of every page is saved under target/console-screenshots/. Without chromium the test is skipped,
 * except on CI (CI=true), where it fails.
 */
class ConsoleBrowserIT {

    static final String MEETING = "1258835";
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    @TempDir
    Path work;

    @Test
    void anOperatorFindsAFailedEventReplaysItAndSeesItDelivered() throws Exception {
        Path chromium = firstExisting("/usr/bin/chromium", "/usr/lib/chromium/chromium", "/usr/bin/chromium-browser");
        Path driverBinary = firstExisting("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
        if (chromium == null || driverBinary == null) {
            String missing = "chromium and chromium-driver are needed (apt-get install -y chromium chromium-driver)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(missing);
            Assumptions.abort(missing);
        }
        Files.createDirectories(SCREENSHOTS);
        AtomicBoolean crmFailing = new AtomicBoolean(true);
        try (TestReceiver receiver = new TestReceiver()) {
            receiver.answer(r -> r.path().equals("/crm") && crmFailing.get() && MEETING.equals(r.json().path("subject").asText())
                    ? Reply.of(500, "{\"message\":\"meeting room directory offline\"}") : Reply.of(204));
            Path routes = new Routes()
                    .subscription("crm", Map.of("url", receiver.url("/crm"), "sources", "iotum,pencil", "maxAttempts", "2",
                            "initialDelay", "50"))
                    .subscription("audit", Map.of("url", receiver.url("/audit")))
                    .writeTo(work.resolve("routes"));
            try (Gateway gateway = Gateway.start(work.resolve("data"), routes.toString(), "hookbridge.index.enabled=true")) {
                String failedId = null;
                for (String fixture : List.of("pencil/EVENT_CREATED", "iotum/enter_conference", "pencil/EVENT_CANCELLED",
                        "spaceos/booking.start")) {
                    String source = fixture.substring(0, fixture.indexOf('/'));
                    byte[] body = Fixtures.unique(source, Fixtures.read("fixtures/" + fixture + ".json"));
                    Answer accepted = Http.post(gateway.url("/webhooks/" + source), body, VendorSigner.headers(source, body));
                    assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
                    if (fixture.startsWith("iotum")) failedId = accepted.json().get("id").asText();
                }
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> Http.get(
                        gateway.url("/admin/events?status=dead_lettered&subscription=crm"), AdminApiIT.AUTHORIZED)
                        .json().get("events").size() == 1);

                WebDriver browser = browser(chromium, driverBinary);
                try {
                    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                    browser.get(gateway.url("/console"));
                    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
                    screenshot(browser, "01-sign-in");
                    browser.findElement(By.id("token")).sendKeys(AdminApiIT.TOKEN);
                    browser.findElement(By.id("save-token")).click();
                    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr.event-row"), 4));
                    screenshot(browser, "02-events");

                    // the operator knows the meeting and that something failed
                    browser.findElement(By.id("f-subject")).sendKeys(MEETING);
                    new Select(browser.findElement(By.id("f-status"))).selectByValue("dead_lettered");
                    new Select(browser.findElement(By.id("f-subscription"))).selectByValue("crm");
                    browser.findElement(By.id("f-search")).click();
                    wait.until(d -> d.findElements(By.cssSelector("tr.event-row")).size() == 1);
                    WebElement row = browser.findElement(By.cssSelector("tr.event-row"));
                    assertThat(row.getAttribute("data-id")).isEqualTo(failedId);
                    assertThat(row.findElement(By.cssSelector("span.status[data-subscription=crm]")).getAttribute("data-status"))
                            .isEqualTo("dead_lettered");
                    screenshot(browser, "03-events-filtered");

                    // why it failed
                    row.findElement(By.cssSelector("a.event-link")).click();
                    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("attempts")));
                    assertThat(browser.findElement(By.id("event-id")).getText()).isEqualTo(failedId);
                    List<WebElement> errors = browser.findElements(By.cssSelector("td.attempt-error"));
                    assertThat(errors).hasSize(2);
                    assertThat(errors.get(0).getText()).isEqualTo("HTTP 500");
                    assertThat(browser.findElement(By.cssSelector("code.response-body")).getText()).contains("meeting room directory offline");
                    assertThat(browser.findElement(By.id("vendor-payload")).getText()).contains("enter_conference");
                    screenshot(browser, "04-event-detail");

                    browser.findElement(By.id("nav-subscriptions")).click();
                    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr.subscription-row"), 2));
                    screenshot(browser, "05-subscriptions");
                    browser.findElement(By.cssSelector("tr.subscription-row[data-name=crm] a.dead-letters-link")).click();
                    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr.dead-letter-row"), 1));
                    screenshot(browser, "06-dead-letters");

                    // the receiver is fixed; from the event, count, then replay
                    crmFailing.set(false);
                    browser.navigate().back();
                    browser.navigate().back();
                    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("event-id")));
                    wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("a.replay-link[data-subscription=crm]"))).click();
                    wait.until(ExpectedConditions.elementToBeClickable(By.id("r-dry-run")));
                    assertThat(new Select(browser.findElement(By.id("r-subscription"))).getFirstSelectedOption().getAttribute("value"))
                            .isEqualTo("crm");
                    assertThat(browser.findElement(By.id("r-replay")).isEnabled()).as("replay only after a count").isFalse();
                    browser.findElement(By.id("r-dry-run")).click();
                    WebElement count = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("r-count")));
                    assertThat(count.getAttribute("data-matched")).isEqualTo("1");
                    screenshot(browser, "07-replay-dry-run");
                    wait.until(ExpectedConditions.elementToBeClickable(By.id("r-replay"))).click();
                    WebElement result = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("r-result")));
                    assertThat(result.getAttribute("data-replayed")).isEqualTo("1");
                    screenshot(browser, "08-replayed");

                    browser.findElement(By.cssSelector("a.replayed-event")).click();
                    new WebDriverWait(browser, Duration.ofSeconds(30)).pollingEvery(Duration.ofMillis(500)).until(d -> {
                        List<WebElement> crm = d.findElements(By.cssSelector("#statuses span.status[data-subscription=crm]"));
                        if (!crm.isEmpty() && "delivered".equals(crm.get(0).getAttribute("data-status"))) return true;
                        d.navigate().refresh();
                        return false;
                    });
                    wait.until(d -> d.findElements(By.cssSelector("tr.attempt-row")).size() == 4);
                    screenshot(browser, "09-event-delivered");

                    // the API's description, rendered by Swagger UI from the jar
                    browser.get(gateway.url("/swagger-ui"));
                    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".swagger-ui .info .title")));
                    wait.until(d -> d.findElements(By.cssSelector(".opblock")).size() >= 9);
                    assertThat(browser.findElement(By.cssSelector(".swagger-ui .info .title")).getText()).contains("HookBridge admin API");
                    screenshot(browser, "10-swagger-ui");
                } finally {
                    browser.quit();
                }
                String id = failedId;
                assertThat(receiver.received("/crm").stream().filter(r -> r.json().get("id").asText().equals(id))).hasSize(3);
            }
        }
    }

    static WebDriver browser(Path chromium, Path driverBinary) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000", "--no-first-run", "--no-default-browser-check");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driverBinary.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    static void screenshot(WebDriver browser, String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    static Path firstExisting(String... candidates) {
        for (String candidate : candidates) {
            Path path = Path.of(candidate);
            if (Files.isExecutable(path)) return path;
        }
        return null;
    }
}
