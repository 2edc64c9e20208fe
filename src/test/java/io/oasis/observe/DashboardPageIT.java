package io.oasis.observe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import io.oasis.testkit.Chromium;
import io.oasis.testkit.OasisIT;
import io.oasis.alert.Alerting;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.oasis.testkit.UpstreamStubs.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The built-in dashboard page in a real headless Chromium: login, live numbers, slow requests, errors. */
@TestPropertySource(properties = {"oasis.operator.password=operator-password-0123456789",
    "oasis.alerting.rules.orders-slow.metric=latency", "oasis.alerting.rules.orders-slow.upstream=orders",
    "oasis.alerting.rules.orders-slow.percentile=50", "oasis.alerting.rules.orders-slow.threshold=100",
    "oasis.alerting.rules.orders-slow.window=5m"})
class DashboardPageIT extends OasisIT {

    @Autowired
    Alerting alerting;

    @Test
    void dashboardPage_afterTraffic_showsLiveNumbersWithoutConsoleErrors() throws Exception {
        alerting.evaluate();
        answer("orders", okJson("[]").withFixedDelay(200));
        for (int i = 0; i < 10; i++) {
            get("/api/dashboard?userId=" + i);
        }
        get("/test/boom");
        alerting.evaluate();

        ChromeDriver browser = Chromium.start();
        try {
            browser.get("http://127.0.0.1:" + port + "/admin/dashboard");
            assertThat(browser.getCurrentUrl()).endsWith("/login");
            browser.findElement(By.name("username")).sendKeys("operator");
            browser.findElement(By.name("password")).sendKeys("operator-password-0123456789");
            browser.findElement(By.cssSelector("button[type=submit]")).click();

            // the page redraws its tables every 2 s: read them whole, and read again when a redraw got in between
            await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() -> {
                assertThat(browser.getCurrentUrl()).contains("/admin/dashboard");
                String[] endpoint = browser.findElement(By.cssSelector("#endpoints tbody")).getText().lines()
                        .filter(line -> line.startsWith("dashboard ")).findFirst().orElseThrow().split(" ");
                // endpoint, req/s, p50 ms: orders takes 200 ms
                assertThat(Double.parseDouble(endpoint[2])).isGreaterThanOrEqualTo(200);
                assertThat(browser.findElement(By.cssSelector("#upstreams tbody")).getText()).contains("orders")
                        .contains("tier-recommendations").contains("CLOSED");
                assertThat(browser.findElements(By.cssSelector("#slow tbody tr .bar span"))).isNotEmpty();
                assertThat(browser.findElement(By.cssSelector("#errors tbody")).getText())
                        .contains("java.lang.IllegalStateException");
                assertThat(browser.findElement(By.cssSelector("#alerts tbody")).getText()).contains("orders-slow")
                        .contains("FIRING").contains("p50 latency of upstream orders over 5m above 100 ms");
                assertThat(browser.findElement(By.cssSelector("#objectives tbody")).getText())
                        .contains("dashboard availability 99.9 %").contains("latency-p95");
            });

            Path screenshot = Path.of("target", "failsafe-reports", "dashboard-page.png");
            Files.createDirectories(screenshot.getParent());
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), screenshot,
                    StandardCopyOption.REPLACE_EXISTING);
            List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()).toList();
            assertThat(errors).isEmpty();
        } finally {
            browser.quit();
        }
    }

    @Test
    void operatorSurfaces_withoutCredentials_areRefused() {
        for (String path : List.of("/admin/overview", "/admin/errors", "/actuator/env", "/actuator/beans")) {
            assertThat(get(path).statusCode()).as(path).isIn(401, 403, 404);
        }
        assertThat(get("/admin/overview").statusCode()).isEqualTo(401);
        assertThat(get("/admin/errors").statusCode()).isEqualTo(401);
        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
    }
}
