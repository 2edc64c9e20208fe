package io.oasis.observe;

import java.time.Duration;
import java.util.List;

import io.oasis.testkit.Chromium;
import io.oasis.testkit.OasisIT;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Hawtio as an operator uses it: signed in, in a real headless Chromium, talking to Jolokia through its own path. */
@TestPropertySource(properties = "oasis.operator.password=operator-password-0123456789")
class HawtioConsoleIT extends OasisIT {

    @Test
    void hawtio_signedInOperator_loadsAndItsJolokiaCallsAreNotRefusedAsCrossSite() {
        ChromeDriver browser = Chromium.start();
        try {
            browser.get("http://127.0.0.1:" + port + "/admin/dashboard");
            browser.findElement(By.name("username")).sendKeys("operator");
            browser.findElement(By.name("password")).sendKeys("operator-password-0123456789");
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            await().atMost(Duration.ofSeconds(15)).until(() -> browser.getCurrentUrl().contains("/admin/dashboard"));
            // from the operator's page, as an operator follows a link: the session cookie is SameSite=Strict
            browser.executeScript("window.location.href = '/actuator/hawtio/';");

            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> browser.getPageSource()
                    .contains("Camel"));
            List<LogEntry> refused = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getMessage().contains("/actuator/hawtio/jolokia")
                            && e.getMessage().contains("status of 403")).toList();
            assertThat(browser.getCurrentUrl()).contains("/actuator/hawtio/");
            assertThat(refused).isEmpty();
        } finally {
            browser.quit();
        }
    }
}
