package io.flinkjobrunner.service.deploy.targets;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.flinkjobrunner.service.deploy.DeploymentBackends;
import io.flinkjobrunner.service.state.DeploymentStatus;
import io.flinkjobrunner.service.deploy.kubernetes.KubernetesDeployerAccess;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Fko;
import io.flinkjobrunner.service.deploy.kubernetes.RealApiServer;
import io.flinkjobrunner.service.deploy.kubernetes.TestingFlinkOperator;
import io.flinkjobrunner.service.deploy.kubernetes.TestingFlinkOperator.Behaviour;
import io.flinkjobrunner.service.deploy.kubernetes.TestingTopicOperator;
import io.flinkjobrunner.service.deploy.kubernetes.spec.CustomResourceKind;
import io.flinkjobrunner.service.deploy.kubernetes.spec.FlinkVersions;
import io.flinkjobrunner.service.deploy.kubernetes.spec.RequiredPermission;
import io.flinkjobrunner.service.digest.Sha256;
import io.flinkjobrunner.service.semantic.SemanticDataService;
import io.flinkjobrunner.service.store.DeploymentRecord;
import io.flinkjobrunner.service.store.DeploymentRepository;
import io.flinkjobrunner.service.testing.EmbeddedPostgresResource;
import io.flinkjobrunner.service.testing.Jobs;
import io.flinkjobrunner.service.testing.LocalKafkaResource;
import io.flinkjobrunner.topics.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The deploy targets through {@code POST /jobs} against the real API server ({@link TestingKubernetes}: the service
 * runs as the chart's service account) with the operator doubles, embedded PostgreSQL and the in-process Kafka broker:
 * plan, deploy with status events, in-place upgrade, failure, cancel, undeploy, setup, readiness, the per-deployment
 * lock and kube contexts.
 */
@QuarkusTest
@Tag(RealApiServer.TAG)
@TestProfile(KubernetesDeployProfile.class)
@QuarkusTestResource(value = TestingKubernetes.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = LocalKafkaResource.class, restrictToAnnotatedClass = true)
class DeployTargetsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    /** Generous: the real API server, the doubles and the build on a loaded 2-core machine. */
    private static final Duration WAIT = Duration.ofSeconds(180);

    @Inject
    DeploymentRepository deployments;
    @Inject
    SemanticDataService semanticData;
    @Inject
    DeploymentBackends backends;

    private TestingFlinkOperator operator;
    private TestingTopicOperator topicOperator;

    @BeforeEach
    void operator() {
        operator = new TestingFlinkOperator(client(), TestingKubernetes.namespace(), TestingKubernetes.FKO);
        topicOperator = new TestingTopicOperator(client(), TestingKubernetes.namespace(), TestingKubernetes.STRIMZI,
                LocalKafkaResource.broker());
    }

    @AfterEach
    void stopOperator() {
        operator.close();
        topicOperator.close();
    }

    private KubernetesClient client() {
        return TestingKubernetes.admin();
    }

    private static String body(String jobId, String target, String deployment, String scenario) {
        return "{\"jobId\":\"" + jobId + "\",\"target\":\"" + target + "\",\"urls\":{\"knowledge\":"
                + "\"http://127.0.0.1:9/" + scenario + "/knowledge.ttl\",\"shacl\":\"http://127.0.0.1:9/" + scenario
                + "/shacl.ttl\"},\"context\":{\"deployment\":\"" + deployment + "\"}}";
    }

    private static String undeployBody(String jobId, String deployment) {
        return "{\"jobId\":\"" + jobId + "\",\"target\":\"undeploy\",\"context\":{\"deployment\":\"" + deployment
                + "\"}}";
    }

    private static JsonPath run(String body, String jobId, String... states) {
        Jobs.submit(body);
        return Jobs.awaitStatus(jobId, WAIT, states.length == 0 ? new String[] {"SUCCEEDED", "FAILED",
                "CANCELLED"} : states);
    }

    private static byte[] artifact(String jobId, String name) {
        return given().get("/jobs/" + jobId + "/artifacts/" + name).then().statusCode(200).extract().asByteArray();
    }

    /** The {@code status} events of a job's SSE stream, as JSON. */
    private static List<JsonNode> statusEvents(String jobId) throws Exception {
        String stream = given().header("Accept", "text/event-stream").get("/jobs/" + jobId + "/logs").asString();
        List<JsonNode> events = new ArrayList<>();
        for (String frame : stream.split("\n\n")) {
            if (frame.contains("event: status\n")) {
                StringBuilder data = new StringBuilder();
                frame.lines().filter(l -> l.startsWith("data: ")).forEach(l -> data.append(l.substring(6)));
                events.add(JSON.readTree(data.toString()));
            }
        }
        return events;
    }

    private GenericKubernetesResource flink(String deployment) {
        return client().genericKubernetesResources(KubernetesDeployerAccess.context(
                CustomResourceKind.FLINK_DEPLOYMENT)).inNamespace(TestingKubernetes.namespace()).withName(deployment)
                .get();
    }

    private List<String> objectsOf(String deployment) {
        List<String> names = new ArrayList<>();
        client().configMaps().inNamespace(TestingKubernetes.namespace())
                .withLabel("flinkjobrunner.io/deployment", deployment).list().getItems()
                .forEach(c -> names.add("ConfigMap/" + c.getMetadata().getName()));
        for (CustomResourceKind kind : List.of(CustomResourceKind.KAFKA_TOPIC, CustomResourceKind.FLINK_DEPLOYMENT)) {
            client().genericKubernetesResources(KubernetesDeployerAccess.context(kind))
                    .inNamespace(TestingKubernetes.namespace()).withLabel("flinkjobrunner.io/deployment", deployment)
                    .list().getItems().forEach(r -> names.add(kind.kind() + "/" + r.getMetadata().getName()));
        }
        return names;
    }

    private static Map<String, String> materialized(String topic) {
        return LocalKafkaResource.materialized(LocalKafkaResource.broker(), topic);
    }

    @Test
    void theJobContextsParallelismIsTheFlinkDeploymentsAndTheUnits() throws Exception {
        String body = body("plan-parallel", "plan", "parallel", "v1").replace("\"context\":{",
                "\"context\":{\"parallelism\":3,");
        JsonPath plan = run(body, "plan-parallel");
        assertEquals("SUCCEEDED", plan.getString("status"), plan.prettify());
        assertEquals(3, given().get("/jobs/plan-parallel").then().statusCode(200).extract().jsonPath()
                .getInt("context.parallelism"));
        String manifests = new String(artifact("plan-parallel", "manifests.yaml"), StandardCharsets.UTF_8);
        assertEquals(3, jobParallelism(manifests), manifests);
        assertTrue(manifests.contains("SET 'table.exec.resource.default-parallelism' = '3'"), manifests);

        // without it, the configured runner.deploy.flink.parallelism and nothing in the unit
        JsonPath defaults = run(body("plan-parallel-default", "plan", "parallel", "v1"), "plan-parallel-default");
        assertEquals("SUCCEEDED", defaults.getString("status"), defaults.prettify());
        String plain = new String(artifact("plan-parallel-default", "manifests.yaml"), StandardCharsets.UTF_8);
        assertEquals(1, jobParallelism(plain), plain);
        assertFalse(plain.contains("table.exec.resource.default-parallelism"), plain);
    }

    /** {@code spec.job.parallelism} of the FlinkDeployment among {@code manifests}. */
    private static Object jobParallelism(String manifests) {
        for (String document : manifests.split("(?m)^---\n")) {
            if (!document.isBlank() && YAML.unmarshal(document) instanceof GenericKubernetesResource r
                    && "FlinkDeployment".equals(r.getKind())) {
                return ((Map<?, ?>) ((Map<?, ?>) r.getAdditionalProperties().get("spec")).get("job"))
                        .get("parallelism");
            }
        }
        throw new AssertionError("no FlinkDeployment in " + manifests);
    }

    @Test
    void planRendersExactlyWhatDeployAppliesAndDeployReportsTheOperatorState() throws Exception {
        JsonPath plan = run(body("plan-alpha", "plan", "alpha", "v1"), "plan-alpha");
        assertEquals("SUCCEEDED", plan.getString("status"), plan.prettify());
        assertEquals(List.of("resolve", "compile", "render"), plan.getList("steps.name"));
        assertEquals(List.of(), objectsOf("alpha"), "plan applies nothing");
        byte[] planned = artifact("plan-alpha", "manifests.yaml");

        JsonPath deploy = run(body("deploy-alpha", "deploy", "alpha", "v1"), "deploy-alpha");
        assertEquals("SUCCEEDED", deploy.getString("status"), deploy.prettify());
        assertEquals(new String(planned, StandardCharsets.UTF_8),
                new String(artifact("deploy-alpha", "manifests.yaml"), StandardCharsets.UTF_8));

        // what the cluster holds is what the plan rendered (the server adds only metadata and status)
        for (String document : new String(planned, StandardCharsets.UTF_8).split("(?m)^---\n")) {
            if (document.isBlank()) {
                continue;
            }
            HasMetadata expected = YAML.unmarshal(document);
            HasMetadata live = expected instanceof ConfigMap
                    ? client().configMaps().inNamespace(TestingKubernetes.namespace())
                            .withName(expected.getMetadata().getName()).get()
                    : client().genericKubernetesResources(KubernetesDeployerAccess.context(CustomResourceKind.of(
                            expected.getApiVersion(), expected.getKind()))).inNamespace(TestingKubernetes.namespace())
                            .withName(expected.getMetadata().getName()).get();
            assertNotNull(live, expected.getKind() + "/" + expected.getMetadata().getName());
            assertEquals(expected.getMetadata().getLabels(), live.getMetadata().getLabels());
            assertEquals(expected.getMetadata().getAnnotations(), live.getMetadata().getAnnotations());
            if (expected instanceof ConfigMap cm) {
                assertEquals(cm.getData(), ((ConfigMap) live).getData());
            } else {
                Object spec = ((GenericKubernetesResource) expected).getAdditionalProperties().get("spec");
                Object stored = ((GenericKubernetesResource) live).getAdditionalProperties().get("spec");
                assertTrue(RealApiServer.storedAsRendered(spec, stored), "planned " + spec + "\nstored  " + stored);
            }
        }

        List<JsonNode> events = statusEvents("deploy-alpha");
        List<JsonNode> flink = events.stream().filter(e -> e.has("flink")).map(e -> e.get("flink")).toList();
        assertFalse(flink.isEmpty(), "operator status mirrored as status events");
        assertTrue(flink.stream().allMatch(e -> "FlinkDeployment/alpha".equals(e.path("resource").asText())));
        JsonNode last = flink.get(flink.size() - 1);
        assertEquals("STABLE", last.path("lifecycleState").asText());
        assertEquals("RUNNING", last.path("jobState").asText());
        assertEquals(last.path("generation").asLong(), last.path("observedGeneration").asLong());
        assertTrue(events.stream().anyMatch(e -> e.path("deployment").path("status").asText().equals("RUNNING")));
        assertEquals("SUCCEEDED", events.get(events.size() - 1).path("status").asText());

        DeploymentRecord record = deployments.find("alpha").orElseThrow();
        assertEquals(DeploymentStatus.RUNNING, record.status());
        assertEquals("kubernetes", record.backend());
        assertEquals("deploy-alpha", record.sourceJobId());
        assertEquals(java.util.Optional.of(TestingKubernetes.namespace()), record.namespace());
        assertEquals(java.util.Optional.of(Sha256.hex(planned)), record.specSha256());

        Topics topics = Topics.defaults("alpha");
        int constraints = semanticData.stored("alpha", "constraint_table").orElseThrow().rows().size();
        assertTrue(constraints > 0);
        assertEquals(constraints, materialized(topics.constraints()).size());
        assertEquals(semanticData.stored("alpha", "rdf").orElseThrow().rows().size(),
                materialized(topics.rdf()).size());
    }

    @Test
    void redeployUpgradesInPlaceAndPublishesOnlyTheDelta() throws Exception {
        assertEquals("SUCCEEDED", run(body("beta-1", "deploy", "beta", "v1"), "beta-1").getString("status"));
        GenericKubernetesResource first = flink("beta");
        Topics topics = Topics.defaults("beta");
        int rdfRecords = LocalKafkaResource.broker().read(topics.rdf()).size();
        int constraintsBefore = materialized(topics.constraints()).size();

        JsonPath second = run(body("beta-2", "flink-deploy", "beta", "v2"), "beta-2");
        assertEquals("SUCCEEDED", second.getString("status"), second.prettify());
        GenericKubernetesResource upgraded = flink("beta");
        assertEquals(first.getMetadata().getUid(), upgraded.getMetadata().getUid(), "upgraded in place");
        assertEquals(first.getMetadata().getGeneration() + 1, upgraded.getMetadata().getGeneration());
        assertEquals(rdfRecords, LocalKafkaResource.broker().read(topics.rdf()).size(),
                "same knowledge: nothing republished");
        int constraintsAfter = materialized(topics.constraints()).size();
        assertTrue(constraintsAfter < constraintsBefore, constraintsAfter + " < " + constraintsBefore);
        assertTrue(LocalKafkaResource.broker().read(topics.constraints()).stream().anyMatch(r -> r.value() == null),
                "removed constraints are tombstoned");
        assertEquals(constraintsAfter, semanticData.stored("beta", "constraint_table").orElseThrow().rows().size());
        assertEquals("beta-2", deployments.find("beta").orElseThrow().sourceJobId());
    }

    @Test
    void anOperatorErrorFailsTheJobAndRollsTheUpgradeBack() throws Exception {
        assertEquals("SUCCEEDED", run(body("gamma-1", "deploy", "gamma", "v1"), "gamma-1").getString("status"));
        Object v1Spec = flink("gamma").getAdditionalProperties().get("spec");
        Map<String, String> v1Constraints = materialized(Topics.defaults("gamma").constraints());
        operator.behave(Behaviour.FAIL);
        JsonPath failed = run(body("gamma-2", "deploy", "gamma", "v2"), "gamma-2");
        assertEquals("FAILED", failed.getString("status"));
        assertTrue(failed.getString("lastError").contains("Could not find any factory for identifier 'kafka'"),
                failed.getString("lastError"));
        assertTrue(failed.getString("lastError").contains("rolled back"), failed.getString("lastError"));
        assertEquals(v1Spec, flink("gamma").getAdditionalProperties().get("spec"));
        assertEquals(v1Constraints, materialized(Topics.defaults("gamma").constraints()),
                "the previous semantic data is published again");
        DeploymentRecord record = deployments.find("gamma").orElseThrow();
        assertEquals(DeploymentStatus.RUNNING, record.status(), "the previous version runs again");
        assertEquals("gamma-2", record.sourceJobId());
        assertTrue(record.detail().orElseThrow().contains("rolled back"));
        assertTrue(statusEvents("gamma-2").stream().anyMatch(e -> e.path("flink").path("error").asText()
                .contains("Could not find any factory")), "the operator's error is mirrored");
    }

    @Test
    void cancelDuringDeployRemovesWhatAFirstDeployApplied() throws Exception {
        operator.behave(Behaviour.IGNORE);
        Jobs.submit(body("delta-1", "deploy", "delta", "v1"));
        awaitLog("delta-1", "created FlinkDeployment/delta");
        Response cancel = given().post("/jobs/delta-1/cancel");
        assertTrue(cancel.statusCode() == 200 || cancel.statusCode() == 202, cancel.asString());
        JsonPath job = Jobs.awaitStatus("delta-1", WAIT, "CANCELLED", "FAILED", "SUCCEEDED");
        assertEquals("CANCELLED", job.getString("status"), job.prettify());
        long gone = System.nanoTime() + WAIT.toNanos();
        while (flink("delta") != null && System.nanoTime() < gone) {
            Thread.sleep(50); // the operator lets the deleted FlinkDeployment go once it has torn it down
        }
        assertNull(flink("delta"));
        assertEquals(List.of(), objectsOf("delta"));
        assertTrue(semanticData.stored("delta", "rdf").isEmpty(), "the semantic data of the first deploy is undone");
        assertEquals(DeploymentStatus.UNDEPLOYED, deployments.find("delta").orElseThrow().status());
        String log = given().get("/jobs/delta-1/logs").asString();
        assertTrue(log.contains("rolled back"), log);
    }

    @Test
    void undeployRemovesEverythingTheDeploymentOwnsWithoutInputs() throws Exception {
        assertEquals("SUCCEEDED", run(body("eps-1", "deploy", "eps", "v1"), "eps-1").getString("status"));
        assertFalse(objectsOf("eps").isEmpty());
        JsonPath undeploy = run(undeployBody("eps-2", "eps"), "eps-2");
        assertEquals("SUCCEEDED", undeploy.getString("status"), undeploy.prettify());
        assertEquals(List.of("resolve", "undeploy"), undeploy.getList("steps.name"));
        assertEquals(List.of(), objectsOf("eps"));
        assertTrue(semanticData.stored("eps", "rdf").isEmpty());
        DeploymentRecord record = deployments.find("eps").orElseThrow();
        assertEquals(DeploymentStatus.UNDEPLOYED, record.status());
        assertTrue(record.specSha256().isEmpty());
        String log = given().get("/jobs/eps-2/logs").asString();
        assertTrue(log.contains("with a savepoint"), log);

        JsonPath again = run(undeployBody("eps-3", "eps").replace("\"undeploy\"", "\"flink-undeploy\""), "eps-3");
        assertEquals("SUCCEEDED", again.getString("status"), "undeploying twice is fine");
    }

    @Test
    void setupReportsEveryCheckAndFailsListingTheFailedOnes() {
        JsonPath ok = run("{\"jobId\":\"setup-1\",\"target\":\"setup\"}", "setup-1");
        assertEquals("SUCCEEDED", ok.getString("status"), ok.prettify());
        String report = new String(artifact("setup-1", "preflight.txt"), StandardCharsets.UTF_8);
        assertTrue(report.contains("OK   API server"), report);
        assertTrue(report.contains("OK   CRD flinkdeployments.flink.apache.org"), report);
        assertTrue(report.contains("OK   Kafka at "), report);
        assertFalse(report.contains("FAIL"), report);

        awaitReadiness(200);
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'kubernetes-deploy' }.status", org.hamcrest.Matchers.equalTo("UP"));

        RealApiServer.Chart chart = TestingKubernetes.chart();
        RealApiServer.shared().revoke(chart, List.of(new RequiredPermission("flink.apache.org", "flinkdeployments",
                "patch")));
        try {
            awaitReadiness(503);
            given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'kubernetes-deploy' }.data.reason", org.hamcrest.Matchers.equalTo(
                            "FAIL patch flinkdeployments.flink.apache.org in " + TestingKubernetes.namespace()
                                    + ": denied: grant it in the service account's Role"));
            JsonPath denied = run("{\"jobId\":\"setup-2\",\"target\":\"setup\"}", "setup-2");
            assertEquals("FAILED", denied.getString("status"));
            assertTrue(denied.getString("lastError").startsWith("preflight: 1 of "), denied.getString("lastError"));
            assertTrue(denied.getString("lastError").contains("FAIL patch flinkdeployments.flink.apache.org in "
                    + TestingKubernetes.namespace() + ": denied"), denied.getString("lastError"));
        } finally {
            RealApiServer.shared().restore(chart);
        }
        awaitReadiness(200);
    }

    @Test
    void withoutTheFlinkServiceAccountDeployAppliesNothingAndSaysWhy() {
        client().serviceAccounts().inNamespace(TestingKubernetes.namespace()).withName("flink").delete();
        try {
            JsonPath failed = run(body("iota-1", "deploy", "iota", "v1"), "iota-1");
            assertEquals("FAILED", failed.getString("status"));
            assertTrue(failed.getString("lastError").startsWith("FAIL service account flink in "
                    + TestingKubernetes.namespace() + ": does not exist: "
                    + "the Flink operator creates it (with its Role) only in the namespaces it watches"),
                    failed.getString("lastError"));
            assertTrue(failed.getString("lastError").endsWith("; nothing was applied"), failed.getString("lastError"));
            assertEquals(List.of(), objectsOf("iota"));
        } finally {
            client().serviceAccounts().inNamespace(TestingKubernetes.namespace()).resource(
                    new io.fabric8.kubernetes.api.model.ServiceAccountBuilder().withNewMetadata().withName("flink")
                            .endMetadata().build()).create();
        }
    }

    @Test
    void aFlinkVersionTheInstalledOperatorDoesNotServeFailsTheDeployBeforeAnythingIsApplied() throws Exception {
        RealApiServer.shared().install(Fko.V1_10);
        try {
            JsonPath failed = run(body("kappa-1", "deploy", "kappa", "v1"), "kappa-1");
            assertEquals("FAILED", failed.getString("status"));
            assertTrue(failed.getString("lastError").startsWith("FAIL flinkVersion "
                    + FlinkVersions.runtimeOperatorVersion() + ": the installed Flink operator accepts only "
                    + String.join(", ", Fko.V1_10.flinkVersions()) + ", not " + FlinkVersions.runtimeOperatorVersion()),
                    failed.getString("lastError"));
            assertTrue(failed.getString("lastError").endsWith("; nothing was applied"), failed.getString("lastError"));
            assertEquals(List.of(), objectsOf("kappa"));
            assertTrue(semanticData.stored("kappa", "rdf").isEmpty(), "no semantic data stored or published");
        } finally {
            RealApiServer.shared().install(TestingKubernetes.FKO);
        }
    }

    @Test
    void twoJobsOnOneDeploymentNeverRunAtOnce() throws Exception {
        operator.behave(Behaviour.HOLD_DEPLOYED);
        Jobs.submit(body("zeta-1", "deploy", "zeta", "v1"));
        awaitLog("zeta-1", "created FlinkDeployment/zeta");
        given().contentType("application/json").body(body("zeta-2", "deploy", "zeta", "v2")).post("/jobs").then()
                .statusCode(409).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.equalTo("https://flinkjobrunner.io/problems/deployment-busy"))
                .body("activeJobId", org.hamcrest.Matchers.equalTo("zeta-1"))
                .body("activeJobStatus", org.hamcrest.Matchers.equalTo("RUNNING"));
        given().contentType("application/json").body(undeployBody("zeta-3", "zeta")).post("/jobs").then()
                .statusCode(409);
        given().contentType("application/json").body(body("zeta-1", "deploy", "zeta", "v1")).post("/jobs").then()
                .statusCode(200);
        given().contentType("application/json").body(body("zeta-plan", "plan", "zeta", "v2")).post("/jobs").then()
                .statusCode(202);
        given().post("/jobs/zeta-1/cancel");
        Jobs.awaitStatus("zeta-1", WAIT, "CANCELLED", "FAILED");
        operator.behave(Behaviour.SUCCEED);
        assertEquals("SUCCEEDED", run(body("zeta-4", "deploy", "zeta", "v1"), "zeta-4").getString("status"),
                "the deployment is free once the holder ended");

        // concurrent submissions of one fresh name on different request threads: exactly one is accepted
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> posts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String id = "eta-" + i;
                posts.add(() -> given().contentType("application/json").body(undeployBody(id, "eta"))
                        .post("/jobs").statusCode());
            }
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(posts)) {
                codes.add(f.get());
            }
            assertEquals(1, codes.stream().filter(c -> c == 202).count(), codes.toString());
            assertEquals(3, codes.stream().filter(c -> c == 409).count(), codes.toString());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void kubeContextsAreHonouredAndAnUnknownOneFailsClearly() {
        JsonPath unknown = run("{\"jobId\":\"ctx-1\",\"target\":\"setup\",\"context\":{\"kubeContext\":\"nope\"}}",
                "ctx-1");
        assertEquals("FAILED", unknown.getString("status"));
        assertEquals("context.kubeContext 'nope' is not defined in the kubeconfig "
                + TestingKubernetes.kubeconfig() + "; available contexts: " + TestingKubernetes.CONTEXT,
                unknown.getString("lastError"));
        JsonPath known = run(body("ctx-2", "deploy", "theta", "v1").replace("\"deployment\":",
                "\"kubeContext\":\"" + TestingKubernetes.CONTEXT + "\",\"deployment\":"), "ctx-2");
        assertEquals("SUCCEEDED", known.getString("status"), known.prettify());
        assertEquals(java.util.Optional.of(TestingKubernetes.CONTEXT), deployments.find("theta").orElseThrow()
                .kubeContext());
        JsonPath elsewhere = run(undeployBody("ctx-3", "theta"), "ctx-3");
        assertEquals("FAILED", elsewhere.getString("status"));
        assertTrue(elsewhere.getString("lastError").startsWith("deployment 'theta' lives on the kubernetes backend "
                + "in namespace " + TestingKubernetes.namespace() + " (kube context " + TestingKubernetes.CONTEXT
                + ") since job ctx-2"), elsewhere.getString("lastError"));
    }

    /** The readiness probe answers from a cache refreshed every second (the profile): wait for the refresh. */
    private static void awaitReadiness(int status) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (given().get("/q/health/ready").statusCode() != status) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("readiness never answered " + status + ": "
                        + given().get("/q/health/ready").asString());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void awaitLog(String jobId, String text) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!given().get("/jobs/" + jobId + "/logs").asString().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + jobId + " never logged '" + text + "': "
                        + given().get("/jobs/" + jobId + "/logs").asString());
            }
            Thread.sleep(50);
        }
    }
}
