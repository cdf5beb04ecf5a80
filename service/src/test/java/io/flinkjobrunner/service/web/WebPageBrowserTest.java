package io.flinkjobrunner.service.web;

import io.flinkjobrunner.service.testing.EmbeddedPostgresResource;
import io.flinkjobrunner.service.testing.Jobs;
import io.flinkjobrunner.service.testing.TestingTarget;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URL;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web page end to end in headless Chromium ({@link HeadlessChromium}):
 * submit through the form, see the job in the list, follow the live log over EventSource until {@code done}.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class WebPageBrowserTest {

    @TestHTTPResource("/")
    URL base;

    private WebDriver driver;

    @BeforeEach
    void startBrowser() throws Exception {
        driver = HeadlessChromium.start();
    }

    @AfterEach
    void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void submitsAJobAndFollowsItsLiveLog() {
        CountDownLatch gate = new CountDownLatch(1);
        TestingTarget.script("web-1", new TestingTarget.Script(5, gate, null, 0));
        driver.get(base.toString());
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        wait.until(d -> !new Select(d.findElement(By.id("target"))).getOptions().isEmpty());
        driver.findElement(By.id("jobId")).sendKeys("web-1");
        new Select(driver.findElement(By.id("target"))).selectByValue("testing");
        driver.findElement(By.id("knowledge")).sendKeys("http://127.0.0.1:9/knowledge.ttl");
        driver.findElement(By.id("shacl")).sendKeys("http://127.0.0.1:9/shacl.ttl?sig=secret");
        driver.findElement(By.id("submit-button")).click();

        wait.until(d -> d.findElement(By.id("submit-result")).getText().contains("Accepted web-1"));
        wait.until(d -> d.findElement(By.id("log")).getText().contains("waiting at the gate"));
        String live = driver.findElement(By.id("log")).getText();
        assertTrue(live.contains("[emit] line 5"), live);
        assertFalse(live.contains("sig=secret"), "pre-signed query strings never reach the page");
        assertEquals("live", driver.findElement(By.id("stream-state")).getText());

        gate.countDown();
        wait.until(d -> d.findElement(By.id("stream-state")).getText().equals("ended: SUCCEEDED"));
        String log = driver.findElement(By.id("log")).getText();
        assertTrue(log.contains("Job web-1 finished successfully"), log);
        assertEquals(1, log.split("\\[emit\\] line 5", -1).length - 1, "each line shown once");
        wait.until(d -> d.findElement(By.id("detail-status")).getText().equals("SUCCEEDED"));
        wait.until(d -> d.findElement(By.id("artifacts")).getText().contains("result.txt"));
        wait.until(d -> d.findElement(By.cssSelector("#jobs tbody tr[data-job-id='web-1']")).getText()
                .contains("SUCCEEDED"));
    }

    @Test
    void showsTheProblemDetailOfARefusedSubmission() {
        driver.get(base.toString());
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        wait.until(d -> !new Select(d.findElement(By.id("target"))).getOptions().isEmpty());
        driver.findElement(By.id("knowledge")).sendKeys("http://127.0.0.1:9/k.ttl");
        driver.findElement(By.id("shacl")).sendKeys("http://127.0.0.1:9/s.ttl");
        driver.findElement(By.id("deployment")).sendKeys("Not_A_Label");
        driver.findElement(By.id("submit-button")).click();
        wait.until(d -> d.findElement(By.id("submit-result")).getText()
                .contains("context.deployment must be a DNS-1123 label"));
    }

    @Test
    void requiresExactlyTheInputUrlsTheTargetNeeds() {
        driver.get(base.toString());
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        wait.until(d -> !new Select(d.findElement(By.id("target"))).getOptions().isEmpty());
        Select target = new Select(driver.findElement(By.id("target")));
        target.selectByValue("undeploy");
        assertFalse(Boolean.parseBoolean(driver.findElement(By.id("knowledge")).getDomProperty("required")));
        assertFalse(Boolean.parseBoolean(driver.findElement(By.id("shacl")).getDomProperty("required")));
        target.selectByValue("deploy");
        assertTrue(Boolean.parseBoolean(driver.findElement(By.id("knowledge")).getDomProperty("required")));
        assertTrue(Boolean.parseBoolean(driver.findElement(By.id("shacl")).getDomProperty("required")));
        assertFalse(Boolean.parseBoolean(driver.findElement(By.id("model")).getDomProperty("required")));
        target.selectByValue("simulate");
        assertTrue(Boolean.parseBoolean(driver.findElement(By.id("model")).getDomProperty("required")));
    }

    @Test
    void listsExistingJobs() {
        Jobs.submit(Jobs.body("web-list-1", "testing", "http://127.0.0.1:9/k", "http://127.0.0.1:9/s"));
        Jobs.awaitStatus("web-list-1", Duration.ofSeconds(20), "SUCCEEDED");
        driver.get(base.toString());
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> d.findElement(By.id("jobs")).getText()
                .contains("web-list-1"));
    }
}
