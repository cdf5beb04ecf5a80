package io.flinkjobrunner.service.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinkjobrunner.service.deploy.local.LocalEndToEndProfile;
import io.flinkjobrunner.service.testing.EmbeddedPostgresResource;
import io.flinkjobrunner.service.testing.InputServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The deployments view end to end in headless Chromium on the local engine, with the application's own build: deploy
 * the sample shapes of {@code work/kms} through the job form (served by a loopback input server), see the deployment
 * RUNNING, post entities through the form (problem details of refused ones shown), watch the alert of the sample's
 * violating entity appear in the live view and clear when its fix is posted, undeploy. One deployment: a Flink job
 * start costs tens of seconds on a busy machine.
 */
@QuarkusTest
@TestProfile(LocalEndToEndProfile.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class DeploymentsPageBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEPLOY = Duration.ofMinutes(6);
    private static final Duration ALERT = Duration.ofSeconds(90);
    private static final Duration PAGE = Duration.ofSeconds(20);
    private static final String NAME = "web-filters";
    private static final String BASE = "https://industry-fusion.org/base/v0.1/";
    /** work/kms/shacl.ttl: an airFilter's operating_hours must lie in 100..155. */
    private static final String TOO_HIGH = "MaxInclusiveConstraintComponent(" + BASE + "operating_hours[0])";
    private static final String TOO_LOW = "MinInclusiveConstraintComponent(" + BASE + "operating_hours[0])";
    private static final String OTHER = "urn:filter:web-2";

    private static InputServer inputs;
    /** work/kms/entity-violating.json (operating_hours 200) and entity-fixed.json (the same filter, in range). */
    private static String violating;
    private static String fixed;
    private static String filterId;

    @TestHTTPResource("/")
    URL base;

    private WebDriver driver;

    @BeforeAll
    static void serveSampleInputs() throws Exception {
        inputs = new InputServer()
                .put("/kms/knowledge.ttl", Files.readString(Path.of("../work/kms/knowledge.ttl")))
                .put("/kms/shacl.ttl", Files.readString(Path.of("../work/kms/shacl.ttl")));
        violating = Files.readString(Path.of("../work/kms/entity-violating.json"));
        fixed = Files.readString(Path.of("../work/kms/entity-fixed.json"));
        filterId = JSON.readTree(violating).path("id").asText();
        assertEquals(filterId, JSON.readTree(fixed).path("id").asText(), "the fix is the same entity");
    }

    @AfterAll
    static void stopInputs() {
        inputs.close();
    }

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

    private static String filter(String id, int operatingHours) {
        return "{\"id\": \"" + id + "\", \"type\": \"" + BASE + "airFilter\",\n \"" + BASE + "operating_hours\": "
                + "{\"type\": \"Property\", \"value\": " + operatingHours + "}}";
    }

    /** The first entity of work/kms/model-instance.jsonld: it names a remote @context, which is never fetched. */
    private static String sampleModelEntity() throws Exception {
        JsonNode model = JSON.readTree(Files.readString(Path.of("../work/kms/model-instance.jsonld")));
        return JSON.writeValueAsString(model.get(0));
    }

    private void postEntities(WebDriverWait wait, String body) {
        WebElement text = driver.findElement(By.id("entities-body"));
        text.clear();
        text.sendKeys(body);
        driver.findElement(By.id("entities-post")).click();
        wait.until(d -> !d.findElement(By.id("entities-result")).getText().equals("posting…")
                && !d.findElement(By.id("entities-result")).getText().isEmpty());
    }

    private String entitiesResult() {
        return driver.findElement(By.id("entities-result")).getText();
    }

    /**
     * The live view's rows for the filter, as {@code event|severity|text}. The view re-renders its rows on every alert
     * event, so a row found a moment ago may be gone while it is read: then the rows are read again.
     */
    private List<String> alertsOf(String resource) {
        for (int attempt = 1; ; attempt++) {
            try {
                return driver.findElements(By.cssSelector("#alerts tbody tr")).stream()
                        .filter(tr -> resource.equals(tr.getDomAttribute("data-resource")))
                        .map(tr -> tr.getDomAttribute("data-event") + "|" + tr.getDomAttribute("data-severity") + "|"
                                + tr.findElements(By.tagName("td")).get(3).getText())
                        .toList();
            } catch (StaleElementReferenceException rerendered) {
                if (attempt == 10) {
                    throw rerendered;
                }
            }
        }
    }

    @Test
    void deploysTheSampleFeedsAViolatingEntityAndSeesItsAlertAppearAndClear() throws Exception {
        driver.get(base.toString());
        WebDriverWait page = new WebDriverWait(driver, PAGE);
        page.until(d -> !new Select(d.findElement(By.id("target"))).getOptions().isEmpty());

        new Select(driver.findElement(By.id("target"))).selectByValue("deploy");
        driver.findElement(By.id("jobId")).sendKeys("web-deploy-1");
        driver.findElement(By.id("knowledge")).sendKeys(inputs.url("/kms/knowledge.ttl"));
        driver.findElement(By.id("shacl")).sendKeys(inputs.url("/kms/shacl.ttl"));
        driver.findElement(By.id("deployment")).sendKeys(NAME);
        driver.findElement(By.id("submit-button")).click();
        page.until(d -> d.findElement(By.id("submit-result")).getText().contains("Accepted web-deploy-1"));

        new WebDriverWait(driver, DEPLOY).until(d -> d.findElement(By.id("stream-state")).getText()
                .startsWith("ended: "));
        assertEquals("ended: SUCCEEDED", driver.findElement(By.id("stream-state")).getText(),
                () -> driver.findElement(By.id("log")).getText());
        String log = driver.findElement(By.id("log")).getText();
        assertTrue(log.contains("[deploy] flink: ") && log.contains("jobState=RUNNING"),
                "the job log shows what the deploy step watches: " + log);

        // the deploy job's status events refresh the list at once
        By row = By.cssSelector("#deployments tbody tr[data-deployment='" + NAME + "']");
        page.until(d -> "RUNNING".equals(d.findElement(row).getDomAttribute("data-status")));
        List<String> cells = driver.findElement(row).findElements(By.tagName("td")).stream()
                .map(WebElement::getText).toList();
        assertEquals(List.of(NAME, "local", "RUNNING"), cells.subList(0, 3), cells.toString());
        assertFalse(cells.get(3).isEmpty(), "since: " + cells);
        assertEquals("web-deploy-1", cells.get(4));
        assertTrue(cells.get(5).startsWith("RUNNING ("), "the Flink job: " + cells);

        driver.findElement(row).click();
        page.until(d -> d.findElement(By.id("deployment-section")).isDisplayed());
        assertEquals(NAME, driver.findElement(By.id("deployment-name")).getText());
        page.until(d -> d.findElement(By.id("alerts-state")).getText().equals("live"));
        assertEquals("no alerts", driver.findElement(By.id("alerts-count")).getText());

        // refused bodies show the API's problem detail
        postEntities(page, "[{\"id\": \"urn:x\",\n \"type\": }]");
        assertTrue(Pattern.compile(":2:\\d+: ").matcher(entitiesResult()).find(),
                "line and column of the JSON error: " + entitiesResult());
        postEntities(page, "{\"id\": \"urn:<b>bold</b>\"}");
        assertTrue(entitiesResult().contains("entity 'urn:<b>bold</b>' has no type"), entitiesResult());
        assertTrue(driver.findElements(By.cssSelector("#entities-result b")).isEmpty(), "shown as text, not markup");
        postEntities(page, sampleModelEntity());
        assertTrue(entitiesResult().contains("https://industryfusion.github.io/contexts/staging/example/v0.2/"
                + "context.jsonld") && entitiesResult().contains("not mapped to a local file"), entitiesResult());

        postEntities(page, violating);
        assertEquals("Accepted 1 entity (1 attribute)", entitiesResult());
        WebDriverWait alert = new WebDriverWait(driver, ALERT);
        alert.until(d -> alertsOf(filterId).stream().anyMatch(a -> a.startsWith(TOO_HIGH + "|warning|")));
        String raised = alertsOf(filterId).stream().filter(a -> a.startsWith(TOO_HIGH + "|")).findFirst()
                .orElseThrow();
        assertTrue(raised.contains("200"), "the alert text names the value: " + raised);
        assertTrue(driver.findElement(By.id("alerts-count")).getText().startsWith("1 open"),
                driver.findElement(By.id("alerts-count")).getText());

        // a property shape's alert is deleted when the fixed entity no longer violates it: a clear event removes the
        // row (other alerts of the entity may flap while Flink retracts the old attribute row, so wait for none)
        postEntities(page, fixed);
        assertEquals("Accepted 1 entity (1 attribute)", entitiesResult());
        alert.until(d -> alertsOf(filterId).isEmpty());
        assertEquals("live", driver.findElement(By.id("alerts-state")).getText(), "the stream stayed open");
        assertEquals("no alerts", driver.findElement(By.id("alerts-count")).getText());

        // a viewer that opens the page later gets the current set: the other filter's alert, none for the fixed one
        postEntities(page, "[" + filter(OTHER, 50) + "]");
        assertEquals("Accepted 1 entity (1 attribute)", entitiesResult());
        alert.until(d -> alertsOf(OTHER).stream().anyMatch(a -> a.startsWith(TOO_LOW + "|warning|")));
        driver.navigate().refresh();
        page.until(d -> !d.findElements(row).isEmpty());
        driver.findElement(row).click();
        alert.until(d -> alertsOf(OTHER).stream().anyMatch(a -> a.startsWith(TOO_LOW + "|warning|")));
        assertTrue(alertsOf(filterId).isEmpty(), alertsOf(filterId).toString());

        // undeploy from the job form, without input URLs: the alert stream ends and the view empties
        new Select(driver.findElement(By.id("target"))).selectByValue("undeploy");
        for (String field : List.of("jobId", "knowledge", "shacl", "deployment")) {
            driver.findElement(By.id(field)).clear();
        }
        driver.findElement(By.id("jobId")).sendKeys("web-undeploy-1");
        driver.findElement(By.id("deployment")).sendKeys(NAME);
        driver.findElement(By.id("submit-button")).click();
        page.until(d -> d.findElement(By.id("submit-result")).getText()
                .equals("Accepted web-undeploy-1 (QUEUED)"));
        // the log panel switches to the new job (and its stream state with it) before the wait for its end
        page.until(d -> d.findElement(By.id("detail-id")).getText().equals("web-undeploy-1"));
        new WebDriverWait(driver, DEPLOY).until(d -> d.findElement(By.id("stream-state")).getText()
                .startsWith("ended: "));
        assertEquals("ended: SUCCEEDED", driver.findElement(By.id("stream-state")).getText(),
                () -> driver.findElement(By.id("log")).getText());
        page.until(d -> "UNDEPLOYED".equals(d.findElement(row).getDomAttribute("data-status")));
        page.until(d -> d.findElement(By.id("alerts-state")).getText().contains("UNDEPLOYED"));
        assertTrue(driver.findElements(By.cssSelector("#alerts tbody tr")).isEmpty(), "no alerts once undeployed");
        assertEquals("UNDEPLOYED", driver.findElement(By.id("deployment-status")).getText());
    }
}
