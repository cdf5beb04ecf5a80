package io.flinkjobrunner.service.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.flinkjobrunner.service.deploy.DeployFailedException.Reason;
import io.flinkjobrunner.service.deploy.OperatorRelease.Fko;
import io.flinkjobrunner.service.deploy.OperatorRelease.Strimzi;
import io.flinkjobrunner.service.deploy.TestingFlinkOperator.Behaviour;
import io.flinkjobrunner.service.deploy.spec.CustomResourceKind;
import io.flinkjobrunner.service.deploy.spec.DeploySettings;
import io.flinkjobrunner.service.deploy.spec.DeploymentManifests;
import io.flinkjobrunner.service.deploy.spec.DeploymentTarget;
import io.flinkjobrunner.service.deploy.spec.FlinkSettings;
import io.flinkjobrunner.service.deploy.spec.KafkaTopicSettings;
import io.flinkjobrunner.service.deploy.spec.ManifestRenderer;
import io.flinkjobrunner.service.deploy.spec.OwnedResource;
import io.flinkjobrunner.service.deploy.spec.TestingDeploySettings;
import io.flinkjobrunner.service.state.OwnershipLostException;
import io.flinkjobrunner.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Deploy, upgrade, failure, deadline, cancel and undeploy against the API server double with the operator doubles of
 * FKO 1.14 and Strimzi 0.45 (what the platform installs), and per release where behaviour differs.
 */
class KubernetesDeployerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** Long enough that a test failing "at once" proves it did not wait for it. */
    private static final Duration LONG = Duration.ofMinutes(5);
    private static final String NAMESPACE = "iff";

    static TestingApiServer api;
    static KubernetesClient client;

    private TestingFlinkOperator operator;
    private TestingTopicOperator topicOperator;
    private KubernetesDeployer deployer;

    @BeforeAll
    static void cluster() {
        api = TestingApiServer.start(Fko.V1_14, Strimzi.V0_45, false, NAMESPACE);
        client = api.client();
    }

    @AfterAll
    static void stopCluster() {
        api.close();
    }

    @BeforeEach
    void operator() {
        operator = new TestingFlinkOperator(client, NAMESPACE, Fko.V1_14);
        topicOperator = new TestingTopicOperator(client, NAMESPACE, Strimzi.V0_45, null);
        deployer = new KubernetesDeployer(client, Clock.systemUTC());
    }

    @AfterEach
    void cleanUp() throws Exception {
        deployer.undeploy(NAMESPACE, "shacl", false, DEADLINE, new RecordingProgress());
        operator.close();
        topicOperator.close();
        client.configMaps().inNamespace(NAMESPACE).delete();
    }

    /** Waits until {@code condition} holds: the operator double works asynchronously, as the real one does. */
    static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static DeploymentManifests manifests(String script) {
        return ManifestRenderer.render(new DeploymentTarget(NAMESPACE, "shacl"),
                TestingDeploySettings.settings(), script, TestingDeploySettings.topics());
    }

    private static GenericKubernetesResource flink() {
        return client.genericKubernetesResources(KubernetesDeployer.context(CustomResourceKind.FLINK_DEPLOYMENT))
                .inNamespace(NAMESPACE).withName("shacl").get();
    }

    private static List<String> configMaps() {
        return client.configMaps().inNamespace(NAMESPACE).list().getItems().stream()
                .map(c -> c.getMetadata().getName()).sorted().toList();
    }

    private static int topics() {
        return client.genericKubernetesResources(KubernetesDeployer.context(CustomResourceKind.KAFKA_TOPIC))
                .inNamespace(NAMESPACE).list().getItems().size();
    }

    @Test
    void deployWaitsForRunningAndStableAndMirrorsTheStatus() throws Exception {
        DeploymentManifests manifests = manifests(TestingDeploySettings.SCRIPT);
        RecordingProgress progress = new RecordingProgress();
        KubernetesDeployer.DeployOutcome outcome = deployer.deploy(manifests, created -> () -> { }, DEADLINE, progress);
        assertEquals("STABLE", outcome.status().lifecycleState());
        assertEquals("RUNNING", outcome.status().jobState());
        Map<String, Object> last = progress.statuses.get(progress.statuses.size() - 1);
        assertEquals("STABLE", last.get("lifecycleState"));
        assertEquals("RUNNING", last.get("jobState"));
        assertEquals(last.get("generation"), last.get("observedGeneration"));
        assertEquals(manifests.ownedResources(), deployer.inventory(NAMESPACE, "shacl"));
        assertEquals(3, topics());
        assertNotNull(flink());
    }

    @Test
    void topicsAreReadyBeforeTheHookAndTheHookBeforeFlink() throws Exception {
        AtomicBoolean flinkExistedAtHook = new AtomicBoolean(true);
        List<Set<String>> created = new ArrayList<>();
        deployer.deploy(manifests(TestingDeploySettings.SCRIPT), fresh -> {
            assertEquals(3, topics());
            flinkExistedAtHook.set(flink() != null);
            created.add(fresh);
            return () -> { };
        }, DEADLINE, new RecordingProgress());
        assertEquals(false, flinkExistedAtHook.get());
        Topics topics = TestingDeploySettings.topics();
        assertEquals(Set.of(topics.rdf(), topics.constraints(), topics.combinations()), created.get(0),
                "a first deploy creates the semantic topics: they get every row");
        deployer.deploy(manifests(TestingDeploySettings.SCRIPT + "-- v2\n"), fresh -> {
            created.add(fresh);
            return () -> { };
        }, DEADLINE, new RecordingProgress());
        assertEquals(Set.of(), created.get(1), "a redeploy keeps the topics: they get the delta");
    }

    @Test
    void operatorErrorOnAFirstDeployLeavesNothingBehind() throws Exception {
        operator.behave(Behaviour.FAIL);
        AtomicBoolean undone = new AtomicBoolean();
        DeployFailedException failure = assertThrows(DeployFailedException.class, () -> deployer.deploy(
                manifests(TestingDeploySettings.SCRIPT), created -> () -> undone.set(true), DEADLINE,
                new RecordingProgress()));
        assertEquals(Reason.OPERATOR_ERROR, failure.reason());
        assertTrue(failure.getMessage().contains("Could not find any factory for identifier 'kafka'"),
                failure.getMessage());
        assertTrue(failure.getMessage().contains("rolled back"), failure.getMessage());
        assertEquals(List.of(), failure.leftovers());
        assertTrue(undone.get(), "the semantic data publish was undone");
        await("the operator lets the deleted FlinkDeployment go", () -> flink() == null);
        assertEquals(0, topics());
        assertEquals(List.of(), configMaps());
    }

    @Test
    void aSemanticDataFailureRollsBackTheTopicsAndAppliesNoFlinkResource() {
        DeployFailedException failure = assertThrows(DeployFailedException.class, () -> deployer.deploy(
                manifests(TestingDeploySettings.SCRIPT), created -> {
                    throw new DeployFailedException(Reason.SEMANTIC_DATA, "cannot publish to topic 'fjr.shacl.rdf'",
                            List.of());
                }, DEADLINE, new RecordingProgress()));
        assertEquals(Reason.SEMANTIC_DATA, failure.reason());
        assertTrue(failure.getMessage().startsWith("cannot publish to topic 'fjr.shacl.rdf'; rolled back"),
                failure.getMessage());
        assertNull(flink());
        assertEquals(0, topics());
        assertEquals(List.of(), configMaps());
    }

    @Test
    void deadlineFailsAndRollsBack() throws Exception {
        operator.behave(Behaviour.IGNORE);
        DeployFailedException failure = assertThrows(DeployFailedException.class, () -> deployer.deploy(
                manifests(TestingDeploySettings.SCRIPT), created -> () -> { }, Duration.ofMillis(800),
                new RecordingProgress()));
        assertEquals(Reason.DEADLINE, failure.reason());
        assertTrue(failure.getMessage().contains("FlinkDeployment/shacl"), failure.getMessage());
        await("the operator lets the deleted FlinkDeployment go", () -> flink() == null);
        assertEquals(List.of(), configMaps());
    }

    @Test
    void deployedButNeverStableMirrorsDeployedAndHitsTheDeadline() {
        operator.behave(Behaviour.HOLD_DEPLOYED);
        RecordingProgress progress = new RecordingProgress();
        DeployFailedException failure = assertThrows(DeployFailedException.class, () -> deployer.deploy(
                manifests(TestingDeploySettings.SCRIPT), created -> () -> { }, Duration.ofSeconds(2), progress));
        assertEquals(Reason.DEADLINE, failure.reason());
        assertTrue(failure.getMessage().contains("lifecycleState=DEPLOYED"), failure.getMessage());
        assertTrue(progress.statuses.stream().anyMatch(s -> "DEPLOYED".equals(s.get("lifecycleState"))
                && Long.valueOf(1).equals(s.get("observedGeneration"))), progress.statuses.toString());
    }

    @Test
    void cancelBeforeApplyAppliesNothing() {
        DeployFailedException failure = assertThrows(DeployFailedException.class, () -> deployer.deploy(
                manifests(TestingDeploySettings.SCRIPT), created -> () -> { }, DEADLINE,
                new RecordingProgress(p -> true)));
        assertEquals(Reason.CANCELLED, failure.reason());
        assertEquals("cancelled before anything was applied", failure.getMessage());
        assertEquals(0, topics());
        assertEquals(List.of(), configMaps());
    }

    @Test
    void cancelWhileWaitingRestoresThePreviousVersion() throws Exception {
        DeploymentManifests v1 = manifests(TestingDeploySettings.SCRIPT);
        deployer.deploy(v1, created -> () -> { }, DEADLINE, new RecordingProgress());
        Object v1Spec = flink().getAdditionalProperties().get("spec");
        List<String> v1ConfigMaps = configMaps();
        operator.behave(Behaviour.IGNORE);
        RecordingProgress cancelling = new RecordingProgress(
                p -> p.lines.stream().anyMatch(l -> l.startsWith("updated FlinkDeployment")));
        DeployFailedException failure = assertThrows(DeployFailedException.class, () -> deployer.deploy(
                manifests(TestingDeploySettings.SCRIPT + "-- v2\n"), created -> () -> { }, DEADLINE,
                cancelling));
        assertEquals(Reason.CANCELLED, failure.reason());
        assertEquals(v1Spec, flink().getAdditionalProperties().get("spec"));
        assertEquals(v1ConfigMaps, configMaps());
        assertEquals(v1.ownedResources(), deployer.inventory(NAMESPACE, "shacl"));
    }

    @Test
    void redeployUpgradesInPlaceAndRemovesTheOldSql() throws Exception {
        DeploymentManifests v1 = manifests(TestingDeploySettings.SCRIPT);
        deployer.deploy(v1, created -> () -> { }, DEADLINE, new RecordingProgress());
        GenericKubernetesResource first = flink();
        DeploymentManifests v2 = manifests(TestingDeploySettings.SCRIPT + "-- v2\n");
        KubernetesDeployer.DeployOutcome outcome = deployer.deploy(v2, created -> () -> { }, DEADLINE,
                new RecordingProgress());
        GenericKubernetesResource second = flink();
        assertEquals(first.getMetadata().getUid(), second.getMetadata().getUid(), "updated, not re-created");
        assertEquals(first.getMetadata().getGeneration() + 1, second.getMetadata().getGeneration());
        String oldSql = v1.sqlConfigMaps().get(0).getMetadata().getName();
        assertEquals(List.of(new OwnedResource("v1", "ConfigMap", oldSql)), outcome.removed());
        assertEquals(List.of("shacl-fjr-inventory", v2.sqlConfigMaps().get(0).getMetadata().getName()), configMaps());
        assertEquals(v2.ownedResources(), deployer.inventory(NAMESPACE, "shacl"));
    }

    @Test
    void failedUpgradeRestoresThePreviousSpecAndSql() throws Exception {
        DeploymentManifests v1 = manifests(TestingDeploySettings.SCRIPT);
        deployer.deploy(v1, created -> () -> { }, DEADLINE, new RecordingProgress());
        Object v1Spec = flink().getAdditionalProperties().get("spec");
        operator.behave(Behaviour.FAIL);
        assertThrows(DeployFailedException.class, () -> deployer.deploy(
                manifests(TestingDeploySettings.SCRIPT + "-- broken\n"), created -> () -> { }, DEADLINE,
                new RecordingProgress()));
        assertEquals(v1Spec, flink().getAdditionalProperties().get("spec"));
        assertEquals(List.of("shacl-fjr-inventory", v1.sqlConfigMaps().get(0).getMetadata().getName()),
                configMaps());
        assertEquals(v1.ownedResources(), deployer.inventory(NAMESPACE, "shacl"));
    }

    @Test
    void undeploySuspendsWithASavepointThenDeletesWhatItCreatedOnly() throws Exception {
        KafkaTopicSettings platform = new KafkaTopicSettings("my-cluster", 1, 1, null, true, Map.of(), "v1beta2");
        DeploymentManifests manifests = ManifestRenderer.render(new DeploymentTarget(NAMESPACE, "shacl"),
                new DeploySettings(platform, TestingDeploySettings.flink(), 4096),
                TestingDeploySettings.SCRIPT, TestingDeploySettings.topics());
        deployer.deploy(manifests, created -> () -> { }, DEADLINE, new RecordingProgress());
        client.configMaps().inNamespace(NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("someone-elses").endMetadata().build()).create();
        RecordingProgress progress = new RecordingProgress();
        List<OwnedResource> deleted = deployer.undeploy(NAMESPACE, "shacl", true, DEADLINE, progress);
        assertTrue(progress.statuses.stream().anyMatch(s -> "SUSPENDED".equals(s.get("lifecycleState"))));
        assertTrue(progress.lines.stream().anyMatch(l -> l.contains("with a savepoint")));
        assertEquals(3 + 2 + 1, deleted.size(), deleted.toString());
        assertNull(flink(), "undeploy waits until the operator has removed its finalizer");
        assertEquals(List.of("someone-elses"), configMaps());
        assertEquals(4, topics(), "the shared platform topics stay");
        client.genericKubernetesResources(KubernetesDeployer.context(CustomResourceKind.KAFKA_TOPIC))
                .inNamespace(NAMESPACE).delete();
    }

    @Test
    void undeployOfAnUnknownDeploymentDoesNothing() throws Exception {
        RecordingProgress progress = new RecordingProgress();
        assertEquals(List.of(), deployer.undeploy(NAMESPACE, "never-deployed", true, DEADLINE, progress));
        assertTrue(progress.lines.get(0).startsWith("nothing to undeploy"));
    }

    /** The rendered manifests with a FlinkDeployment the operator's validator rejects (no state directories). */
    private static DeploymentManifests rejectedByTheOperator(String script) {
        DeploymentManifests manifests = manifests(script);
        Map<?, ?> spec = (Map<?, ?>) manifests.flinkResource().getAdditionalProperties().get("spec");
        ((Map<?, ?>) spec.get("flinkConfiguration")).keySet().removeIf(k -> k.toString().contains("dir"));
        return manifests;
    }

    @Test
    void anErrorStatusOfAGenerationNeverObservedFailsAtOnceWithTheOperatorsMessage() {
        DeployFailedException failure = assertThrows(DeployFailedException.class, () -> deployer.deploy(
                rejectedByTheOperator(TestingDeploySettings.SCRIPT), created -> () -> { }, LONG,
                new RecordingProgress()));
        assertEquals(Reason.OPERATOR_ERROR, failure.reason(), failure.getMessage());
        assertTrue(failure.getMessage().startsWith("FlinkDeployment/shacl failed: the operator rejected generation 1 "
                + "(observed: null, lifecycleState FAILED): Checkpoint directory[execution.checkpointing.dir] must be "
                + "defined for last-state and savepoint upgrade modes; rolled back"), failure.getMessage());
        assertEquals(List.of(), configMaps());
    }

    @Test
    void anErrorOnAnUpdateWhoseGenerationStaysOldFailsAtOnceAndRestoresThePreviousSpec() throws Exception {
        deployer.deploy(manifests(TestingDeploySettings.SCRIPT), created -> () -> { }, DEADLINE,
                new RecordingProgress());
        Object v1Spec = flink().getAdditionalProperties().get("spec");
        DeployFailedException failure = assertThrows(DeployFailedException.class, () -> deployer.deploy(
                rejectedByTheOperator(TestingDeploySettings.SCRIPT + "-- v2\n"), created -> () -> { }, LONG,
                new RecordingProgress()));
        assertEquals(Reason.OPERATOR_ERROR, failure.reason(), failure.getMessage());
        assertTrue(failure.getMessage().startsWith("FlinkDeployment/shacl failed: the operator rejected generation 2 "
                + "(observed: 1, lifecycleState FAILED): Checkpoint directory"), failure.getMessage());
        assertEquals(v1Spec, flink().getAdditionalProperties().get("spec"));
    }

    @Test
    void aWebhookDenialFailsAtOnceWithTheOperatorsMessageAndNothingStays() {
        try (TestingApiServer withWebhook = TestingApiServer.start(Fko.V1_14, Strimzi.V0_45, true, NAMESPACE);
                TestingTopicOperator topics = new TestingTopicOperator(withWebhook.client(), NAMESPACE,
                        Strimzi.V0_45, null)) {
            KubernetesDeployer guarded = new KubernetesDeployer(withWebhook.client(), Clock.systemUTC());
            DeployFailedException failure = assertThrows(DeployFailedException.class, () -> guarded.deploy(
                    rejectedByTheOperator(TestingDeploySettings.SCRIPT), created -> () -> { }, LONG,
                    new RecordingProgress()));
            assertEquals(Reason.OPERATOR_ERROR, failure.reason(), failure.getMessage());
            assertEquals("FlinkDeployment/shacl was refused by the API server (HTTP 400): admission webhook \""
                    + Fko.WEBHOOK + "\" denied the request: Checkpoint directory[execution.checkpointing.dir] must be "
                    + "defined for last-state and savepoint upgrade modes; rolled back: the cluster holds the previous "
                    + "version again", failure.getMessage());
            assertEquals(List.of(), withWebhook.client().configMaps().inNamespace(NAMESPACE).list().getItems());
            assertEquals(List.of(), withWebhook.client().genericKubernetesResources(KubernetesDeployer.context(
                    CustomResourceKind.KAFKA_TOPIC)).inNamespace(NAMESPACE).list().getItems());
        }
    }

    @Test
    void aFlinkVersionTheInstalledCrdDoesNotKnowIsRefusedByTheApiServer() {
        try (TestingApiServer old = TestingApiServer.start(Fko.V1_10, Strimzi.V0_45, false, NAMESPACE);
                TestingTopicOperator topics = new TestingTopicOperator(old.client(), NAMESPACE, Strimzi.V0_45,
                        null)) {
            DeployFailedException failure = assertThrows(DeployFailedException.class, () -> new KubernetesDeployer(
                    old.client(), Clock.systemUTC()).deploy(manifests(TestingDeploySettings.SCRIPT),
                            created -> () -> { }, LONG, new RecordingProgress()));
            assertEquals(Reason.OPERATOR_ERROR, failure.reason());
            assertTrue(failure.getMessage().startsWith("FlinkDeployment/shacl was refused by the API server (HTTP 422): "
                    + "FlinkDeployment.flink.apache.org \"shacl\" is invalid: spec.flinkVersion: Unsupported value: "
                    + "\"v2_2\""), failure.getMessage());
        }
    }

    @Test
    void applyKeepsOtherControllersMetadataAndRemovesWhatNoLongerRenders() throws Exception {
        FlinkSettings base = TestingDeploySettings.flink();
        FlinkSettings withSlots = new FlinkSettings(base.flinkVersion(), base.imageFlinkRelease(), base.image(),
                base.imagePullPolicy(), base.serviceAccount(), base.jobManager(), base.taskManager(),
                base.parallelism(), base.upgradeMode(), base.checkpointInterval(), base.stateDirectory(),
                base.runnerJarUri(), base.sqlDirectory(), Map.of("taskmanager.numberOfTaskSlots", "2"));
        deployer.deploy(ManifestRenderer.render(new DeploymentTarget(NAMESPACE, "shacl"),
                TestingDeploySettings.settings(withSlots), TestingDeploySettings.SCRIPT,
                TestingDeploySettings.topics()), created -> () -> { }, DEADLINE, new RecordingProgress());
        assertEquals(List.of(Fko.FINALIZER), flink().getMetadata().getFinalizers(), "the operator's finalizer");
        String foreign = "{\"metadata\":{\"labels\":{\"team\":\"quality\"},\"annotations\":"
                + "{\"backup.example/keep\":\"7d\"}}}";
        client.genericKubernetesResources(KubernetesDeployer.context(CustomResourceKind.FLINK_DEPLOYMENT))
                .inNamespace(NAMESPACE).withName("shacl").patch(PatchContext.of(PatchType.JSON_MERGE), foreign);
        client.configMaps().inNamespace(NAMESPACE).withName("shacl-fjr-inventory")
                .patch(PatchContext.of(PatchType.JSON_MERGE), foreign);

        DeploymentManifests v2 = manifests(TestingDeploySettings.SCRIPT + "-- v2\n");
        deployer.deploy(v2, created -> () -> { }, DEADLINE, new RecordingProgress());
        GenericKubernetesResource live = flink();
        assertEquals(List.of(Fko.FINALIZER), live.getMetadata().getFinalizers());
        assertEquals("quality", live.getMetadata().getLabels().get("team"));
        assertEquals("7d", live.getMetadata().getAnnotations().get("backup.example/keep"));
        assertEquals(v2.flinkResource().getMetadata().getAnnotations().get(ManifestRenderer.SCRIPT_SHA_ANNOTATION),
                live.getMetadata().getAnnotations().get(ManifestRenderer.SCRIPT_SHA_ANNOTATION));
        assertEquals(new io.fabric8.kubernetes.client.utils.KubernetesSerialization().convertValue(
                v2.flinkResource().getAdditionalProperties().get("spec"), Map.class),
                live.getAdditionalProperties().get("spec"),
                "the spec is exactly the rendered one: the dropped configuration key is gone");
        var inventory = client.configMaps().inNamespace(NAMESPACE).withName("shacl-fjr-inventory").get();
        assertEquals("quality", inventory.getMetadata().getLabels().get("team"));
        assertEquals(v2.inventory().getData(), inventory.getData());
    }

    @Test
    void undeployOfAStatelessDeploymentTakesNoSavepoint() throws Exception {
        deployer.deploy(ManifestRenderer.render(new DeploymentTarget(NAMESPACE, "shacl"),
                TestingDeploySettings.settings(TestingDeploySettings.flink(null)), TestingDeploySettings.SCRIPT,
                TestingDeploySettings.topics()), created -> () -> { }, DEADLINE, new RecordingProgress());
        RecordingProgress progress = new RecordingProgress();
        deployer.undeploy(NAMESPACE, "shacl", true, DEADLINE, progress);
        assertTrue(progress.lines.contains("FlinkDeployment/shacl has upgrade mode stateless: no savepoint is "
                + "taken, the operator cancels the job when the resource is deleted"), progress.lines.toString());
        assertTrue(progress.statuses.stream().noneMatch(s -> "SUSPENDED".equals(s.get("lifecycleState"))));
        assertNull(flink());
    }

    @ParameterizedTest(name = "Strimzi {0}")
    @CsvSource({"V0_45, v1beta2", "V0_49, v1", "V1_0, v1"})
    void kafkaTopicsAreWrittenInTheVersionTheClusterServes(Strimzi release, String version) throws Exception {
        try (TestingApiServer cluster = TestingApiServer.start(Fko.V1_14, release, false, NAMESPACE);
                TestingTopicOperator topics = new TestingTopicOperator(cluster.client(), NAMESPACE, release, null);
                TestingFlinkOperator flink = new TestingFlinkOperator(cluster.client(), NAMESPACE, Fko.V1_14)) {
            KubernetesDeployer onRelease = new KubernetesDeployer(cluster.client(), Clock.systemUTC());
            assertEquals(version, onRelease.servedKafkaTopic().orElseThrow().version());
            DeploySettings settings = new DeploySettings(KafkaTopicSettings.defaults().withApiVersion(version),
                    TestingDeploySettings.flink(), 4096);
            DeploymentManifests manifests = ManifestRenderer.render(new DeploymentTarget(NAMESPACE, "shacl"),
                    settings, TestingDeploySettings.SCRIPT, TestingDeploySettings.topics());
            onRelease.deploy(manifests, created -> () -> { }, DEADLINE, new RecordingProgress());
            assertEquals(3, cluster.client().genericKubernetesResources(KubernetesDeployer.context(
                    CustomResourceKind.kafkaTopic(version))).inNamespace(NAMESPACE).list().getItems().size());
            List<OwnedResource> removed = onRelease.undeploy(NAMESPACE, "shacl", true, DEADLINE,
                    new RecordingProgress());
            assertEquals(manifests.ownedResources().size(), removed.size(), removed.toString());
            if (release == Strimzi.V1_0) {
                DeploymentManifests old = ManifestRenderer.render(new DeploymentTarget(NAMESPACE, "shacl"),
                        TestingDeploySettings.settings(), TestingDeploySettings.SCRIPT,
                        TestingDeploySettings.topics());
                DeployFailedException failure = assertThrows(DeployFailedException.class, () -> onRelease.deploy(
                        old, created -> () -> { }, DEADLINE, new RecordingProgress()));
                assertTrue(failure.getMessage().contains("KafkaTopic/fjr.shacl.rdf was refused by the API server "
                        + "(HTTP 404)"), failure.getMessage());
            }
        }
    }

    // --- fencing: a deploy whose job was taken over by another replica changes nothing more, and undoes nothing ---

    @Test
    void aDeployThatLostItsJobStopsWithoutRollingBack() {
        RecordingProgress progress = new RecordingProgress().lostAfter(1);
        AtomicBoolean undone = new AtomicBoolean();
        DeploymentManifests manifests = manifests(TestingDeploySettings.SCRIPT);
        assertThrows(OwnershipLostException.class,
                () -> deployer.deploy(manifests, created -> () -> undone.set(true), DEADLINE, progress));
        assertEquals(2, progress.changes.get(), "stopped at the second change");
        assertEquals(manifests.ownedResources(), deployer.inventory(NAMESPACE, "shacl"),
                "the inventory applied before the loss stays: the next attempt covers it");
        assertEquals(0, topics(), "nothing applied after the loss");
        assertFalse(undone.get());
        assertTrue(progress.lines.stream().noneMatch(l -> l.startsWith("rollback")), progress.lines.toString());
    }

    @Test
    void aDeployLostWhileRollingBackStopsRollingBack() {
        operator.behave(Behaviour.FAIL);
        // inventory, three topics, the SQL ConfigMap and the Flink resource: six changes, then the rollback's first
        RecordingProgress progress = new RecordingProgress().lostAfter(6);
        DeploymentManifests manifests = manifests(TestingDeploySettings.SCRIPT);
        assertThrows(OwnershipLostException.class,
                () -> deployer.deploy(manifests, created -> () -> { }, DEADLINE, progress));
        assertEquals(3, topics(), "the rollback stopped before deleting anything");
    }

    @Test
    void anUndeployThatLostItsJobDeletesNothing() throws Exception {
        deployer.deploy(manifests(TestingDeploySettings.SCRIPT), created -> () -> { }, DEADLINE,
                new RecordingProgress());
        List<OwnedResource> before = deployer.inventory(NAMESPACE, "shacl");
        assertThrows(OwnershipLostException.class, () -> deployer.undeploy(NAMESPACE, "shacl", false, DEADLINE,
                new RecordingProgress().lostAfter(0)));
        assertEquals(before, deployer.inventory(NAMESPACE, "shacl"));
        assertEquals(3, topics());
    }
}
