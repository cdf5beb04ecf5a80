package io.flinkjobrunner.service.deploy.kubernetes;

import io.flinkjobrunner.service.deploy.DeployFailedException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.flinkjobrunner.service.deploy.DeployFailedException.Reason;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Fko;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Strimzi;
import io.flinkjobrunner.service.deploy.kubernetes.TestingFlinkOperator.Behaviour;
import io.flinkjobrunner.service.deploy.kubernetes.spec.CustomResourceKind;
import io.flinkjobrunner.service.deploy.kubernetes.spec.DeploySettings;
import io.flinkjobrunner.service.deploy.kubernetes.spec.DeploymentManifests;
import io.flinkjobrunner.service.deploy.kubernetes.spec.DeploymentTarget;
import io.flinkjobrunner.service.deploy.kubernetes.spec.FlinkSettings;
import io.flinkjobrunner.service.deploy.kubernetes.spec.KafkaTopicSettings;
import io.flinkjobrunner.service.deploy.kubernetes.spec.ManifestRenderer;
import io.flinkjobrunner.service.state.OwnedResource;
import io.flinkjobrunner.service.deploy.kubernetes.spec.TestingDeploySettings;
import io.flinkjobrunner.service.state.OwnershipLostException;
import io.flinkjobrunner.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Deploy, upgrade, failure, deadline, cancel and undeploy on the real API server with the CRDs of FKO 1.14 and
 * Strimzi 0.45 (what the platform installs), the operator doubles reading specs and writing status through the server,
 * and the deployer running as the Helm chart's service account (exactly the chart's Role and ClusterRole). Each test
 * has a namespace of its own.
 */
@RealApiServerTest
class KubernetesDeployerTest {

    /** Generous: the real server and the doubles on a loaded 2-core machine. */
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    /** Long enough that a test failing "at once" proves it did not wait for it. */
    private static final Duration LONG = Duration.ofMinutes(10);
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private RealApiServer server;
    private KubernetesClient admin;
    private String namespace;
    private KubernetesClient service;
    private TestingFlinkOperator operator;
    private TestingTopicOperator topicOperator;
    private KubernetesDeployer deployer;

    @BeforeEach
    void cluster(RealApiServer realApiServer) {
        server = realApiServer;
        admin = server.admin();
        server.install(Fko.V1_14);
        server.install(Strimzi.V0_45);
        namespace = server.flinkNamespace("deployer");
        RealApiServer.Chart chart = server.installChart(namespace);
        service = server.serviceAccount(namespace, chart.serviceAccount());
        operator = new TestingFlinkOperator(admin, namespace, Fko.V1_14);
        topicOperator = new TestingTopicOperator(admin, namespace, Strimzi.V0_45, null);
        deployer = new KubernetesDeployer(service, Clock.systemUTC());
    }

    @AfterEach
    void stopOperators() {
        operator.close();
        topicOperator.close();
        service.close();
    }

    private DeploymentManifests manifests(String script) {
        return ManifestRenderer.render(new DeploymentTarget(namespace, "shacl"), TestingDeploySettings.settings(),
                script, TestingDeploySettings.topics());
    }

    private DeploymentManifests manifests(FlinkSettings flink, String script) {
        return ManifestRenderer.render(new DeploymentTarget(namespace, "shacl"), TestingDeploySettings.settings(flink),
                script, TestingDeploySettings.topics());
    }

    private GenericKubernetesResource flink() {
        return admin.genericKubernetesResources(KubernetesDeployer.context(CustomResourceKind.FLINK_DEPLOYMENT))
                .inNamespace(namespace).withName("shacl").get();
    }

    private List<String> configMaps() {
        return admin.configMaps().inNamespace(namespace).list().getItems().stream()
                .map(c -> c.getMetadata().getName()).sorted().toList();
    }

    private List<GenericKubernetesResource> topics() {
        return admin.genericKubernetesResources(KubernetesDeployer.context(CustomResourceKind.KAFKA_TOPIC))
                .inNamespace(namespace).list().getItems();
    }

    private static boolean ready(GenericKubernetesResource topic) {
        return topic.getAdditionalProperties().get("status") instanceof Map<?, ?> status
                && status.get("conditions") instanceof List<?> conditions && conditions.stream().anyMatch(
                        c -> c instanceof Map<?, ?> m && "Ready".equals(m.get("type")) && "True".equals(m.get("status")));
    }

    private static Object spec(GenericKubernetesResource resource) {
        return resource.getAdditionalProperties().get("spec");
    }

    @Test
    void deployWaitsForRunningAndStableAndMirrorsTheStatus() throws Exception {
        DeploymentManifests manifests = manifests(TestingDeploySettings.SCRIPT);
        RecordingProgress progress = new RecordingProgress();
        KubernetesDeployer.DeployOutcome outcome = deployer.deploy(manifests, created -> () -> { }, DEADLINE,
                progress);
        assertEquals("STABLE", outcome.status().lifecycleState());
        assertEquals("RUNNING", outcome.status().jobState());
        Map<String, Object> last = progress.statuses.get(progress.statuses.size() - 1);
        assertEquals("STABLE", last.get("lifecycleState"));
        assertEquals("RUNNING", last.get("jobState"));
        assertEquals(last.get("generation"), last.get("observedGeneration"));
        assertTrue(progress.statuses.stream().anyMatch(s -> "DEPLOYED".equals(s.get("lifecycleState"))),
                "every distinct status is mirrored: " + progress.statuses);
        assertEquals(manifests.ownedResources(), deployer.inventory(namespace, "shacl"));
        assertEquals(3, topics().size());
        assertEquals(List.of(Fko.FINALIZER), flink().getMetadata().getFinalizers(), "the operator manages it");
    }

    @Test
    void topicsAreReadyBeforeTheHookAndTheHookBeforeFlink() throws Exception {
        AtomicBoolean flinkExistedAtHook = new AtomicBoolean(true);
        List<Set<String>> created = new ArrayList<>();
        deployer.deploy(manifests(TestingDeploySettings.SCRIPT), fresh -> {
            assertEquals(3, topics().size());
            assertTrue(topics().stream().allMatch(KubernetesDeployerTest::ready), "Ready before the hook");
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
        RealApiServer.await("the operator lets the deleted FlinkDeployment go", () -> flink() == null);
        assertEquals(List.of(), topics());
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
        assertEquals(List.of(), topics());
        assertEquals(List.of(), configMaps());
    }

    @Test
    void deadlineFailsAndRollsBack() throws Exception {
        operator.behave(Behaviour.IGNORE);
        AdjustableClock clock = new AdjustableClock();
        RecordingProgress progress = new RecordingProgress().when("created FlinkDeployment/shacl",
                () -> clock.advance(DEADLINE));
        DeployFailedException failure = assertThrows(DeployFailedException.class, () -> new KubernetesDeployer(
                service, clock).deploy(manifests(TestingDeploySettings.SCRIPT), created -> () -> { }, DEADLINE,
                        progress));
        assertEquals(Reason.DEADLINE, failure.reason());
        assertTrue(failure.getMessage().startsWith("deadline passed while waiting for FlinkDeployment/shacl"),
                failure.getMessage());
        RealApiServer.await("the operator lets the deleted FlinkDeployment go", () -> flink() == null);
        assertEquals(List.of(), configMaps());
        assertEquals(List.of(), topics());
    }

    @Test
    void deployedButNeverStableMirrorsDeployedAndHitsTheDeadline() {
        operator.behave(Behaviour.HOLD_DEPLOYED);
        AdjustableClock clock = new AdjustableClock();
        RecordingProgress progress = new RecordingProgress().when("FlinkDeployment/shacl: lifecycleState=DEPLOYED",
                () -> clock.advance(LONG));
        DeployFailedException failure = assertThrows(DeployFailedException.class, () -> new KubernetesDeployer(
                service, clock).deploy(manifests(TestingDeploySettings.SCRIPT), created -> () -> { }, LONG,
                        progress));
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
        assertEquals(List.of(), topics());
        assertEquals(List.of(), configMaps());
    }

    @Test
    void cancelWhileWaitingRestoresThePreviousVersion() throws Exception {
        DeploymentManifests v1 = manifests(TestingDeploySettings.SCRIPT);
        deployer.deploy(v1, created -> () -> { }, DEADLINE, new RecordingProgress());
        Object v1Spec = spec(flink());
        List<String> v1ConfigMaps = configMaps();
        operator.behave(Behaviour.IGNORE);
        RecordingProgress cancelling = new RecordingProgress(
                p -> p.lines.stream().anyMatch(l -> l.startsWith("updated FlinkDeployment")));
        DeployFailedException failure = assertThrows(DeployFailedException.class, () -> deployer.deploy(
                manifests(TestingDeploySettings.SCRIPT + "-- v2\n"), created -> () -> { }, DEADLINE,
                cancelling));
        assertEquals(Reason.CANCELLED, failure.reason());
        assertEquals(v1Spec, spec(flink()));
        assertEquals(v1ConfigMaps, configMaps());
        assertEquals(v1.ownedResources(), deployer.inventory(namespace, "shacl"));
    }

    @Test
    void redeployUpgradesInPlaceWithASavepointAndRemovesTheOldSql() throws Exception {
        DeploymentManifests v1 = manifests(TestingDeploySettings.SCRIPT);
        deployer.deploy(v1, created -> () -> { }, DEADLINE, new RecordingProgress());
        GenericKubernetesResource first = flink();
        DeploymentManifests v2 = manifests(TestingDeploySettings.SCRIPT + "-- v2\n");
        RecordingProgress progress = new RecordingProgress();
        KubernetesDeployer.DeployOutcome outcome = deployer.deploy(v2, created -> () -> { }, DEADLINE, progress);
        GenericKubernetesResource second = flink();
        assertEquals(first.getMetadata().getUid(), second.getMetadata().getUid(), "updated, not re-created");
        assertEquals(first.getMetadata().getGeneration() + 1, second.getMetadata().getGeneration(),
                "one spec change: the operator performs one savepoint upgrade");
        assertEquals("savepoint", ((Map<?, ?>) ((Map<?, ?>) spec(second)).get("job")).get("upgradeMode"));
        assertEquals(second.getMetadata().getGeneration(), ((Number) progress.statuses.get(progress.statuses.size()
                - 1).get("observedGeneration")).longValue(), "running the new generation");
        String oldSql = v1.sqlConfigMaps().get(0).getMetadata().getName();
        assertEquals(List.of(new OwnedResource("v1", "ConfigMap", oldSql)), outcome.removed());
        assertEquals(List.of("shacl-fjr-inventory", v2.sqlConfigMaps().get(0).getMetadata().getName()), configMaps());
        assertEquals(v2.ownedResources(), deployer.inventory(namespace, "shacl"));
    }

    @Test
    void aRedeployOfTheSameUnitChangesNoGenerationSoTheOperatorDoesNotUpgrade() throws Exception {
        DeploymentManifests manifests = manifests(TestingDeploySettings.SCRIPT);
        deployer.deploy(manifests, created -> () -> { }, DEADLINE, new RecordingProgress());
        GenericKubernetesResource first = flink();
        Map<String, Long> topicGenerations = new java.util.TreeMap<>();
        topics().forEach(t -> topicGenerations.put(t.getMetadata().getName(), t.getMetadata().getGeneration()));
        deployer.deploy(manifests(TestingDeploySettings.SCRIPT), created -> () -> { }, DEADLINE,
                new RecordingProgress());
        assertEquals(first.getMetadata().getGeneration(), flink().getMetadata().getGeneration(),
                "the server stores the rendered spec as it is (1.0 CPUs as 1): patching it again changes nothing");
        Map<String, Long> after = new java.util.TreeMap<>();
        topics().forEach(t -> after.put(t.getMetadata().getName(), t.getMetadata().getGeneration()));
        assertEquals(topicGenerations, after);
    }

    @Test
    void failedUpgradeRestoresThePreviousSpecAndSql() throws Exception {
        DeploymentManifests v1 = manifests(TestingDeploySettings.SCRIPT);
        deployer.deploy(v1, created -> () -> { }, DEADLINE, new RecordingProgress());
        Object v1Spec = spec(flink());
        operator.behave(Behaviour.FAIL);
        assertThrows(DeployFailedException.class, () -> deployer.deploy(
                manifests(TestingDeploySettings.SCRIPT + "-- broken\n"), created -> () -> { }, DEADLINE,
                new RecordingProgress()));
        assertEquals(v1Spec, spec(flink()));
        assertEquals(List.of("shacl-fjr-inventory", v1.sqlConfigMaps().get(0).getMetadata().getName()),
                configMaps());
        assertEquals(v1.ownedResources(), deployer.inventory(namespace, "shacl"));
    }

    @Test
    void undeploySuspendsWithASavepointThenDeletesWhatItCreatedOnly() throws Exception {
        KafkaTopicSettings platform = new KafkaTopicSettings("my-cluster", 1, 1, null, true, Map.of(), "v1beta2");
        DeploymentManifests manifests = ManifestRenderer.render(new DeploymentTarget(namespace, "shacl"),
                new DeploySettings(platform, TestingDeploySettings.flink(), 4096),
                TestingDeploySettings.SCRIPT, TestingDeploySettings.topics());
        deployer.deploy(manifests, created -> () -> { }, DEADLINE, new RecordingProgress());
        admin.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("someone-elses").endMetadata().build()).create();
        RecordingProgress progress = new RecordingProgress();
        List<OwnedResource> deleted = deployer.undeploy(namespace, "shacl", true, DEADLINE, progress);
        assertTrue(progress.statuses.stream().anyMatch(s -> "SUSPENDED".equals(s.get("lifecycleState"))));
        assertTrue(progress.lines.stream().anyMatch(l -> l.contains("with a savepoint")));
        assertEquals(3 + 2 + 1, deleted.size(), deleted.toString());
        assertNull(flink(), "undeploy waits until the operator has removed its finalizer");
        assertEquals(List.of("someone-elses"), configMaps());
        assertEquals(4, topics().size(), "the shared platform topics stay");
    }

    @Test
    void undeployReturnsOnlyOnceTheOperatorHasRemovedItsFinalizer() throws Exception {
        deployer.deploy(manifests(TestingDeploySettings.flink(null), TestingDeploySettings.SCRIPT),
                created -> () -> { }, DEADLINE, new RecordingProgress());
        operator.holdFinalizers();
        RecordingProgress progress = new RecordingProgress();
        CompletableFuture<List<OwnedResource>> undeploy = CompletableFuture.supplyAsync(() -> {
            try {
                return deployer.undeploy(namespace, "shacl", true, DEADLINE, progress);
            } catch (DeployFailedException e) {
                throw new IllegalStateException(e);
            }
        });
        // The API server answered the DELETE at once, but the object stays, marked, until its finalizer is gone.
        RealApiServer.await("the FlinkDeployment is being deleted", () -> flink() != null
                && flink().getMetadata().getDeletionTimestamp() != null);
        RealApiServer.await("undeploy waits for the finalizer", () -> progress.lines.stream()
                .anyMatch(l -> l.contains("waiting for the operator to remove its finalizer")));
        assertFalse(undeploy.isDone(), "undeploy must not return while the operator still tears the cluster down");
        assertNotNull(flink());
        operator.releaseFinalizers();
        List<OwnedResource> deleted = undeploy.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertNull(flink());
        assertTrue(progress.lines.contains("FlinkDeployment/shacl: gone"), progress.lines.toString());
        assertTrue(deleted.contains(new OwnedResource("flink.apache.org/v1beta1", "FlinkDeployment", "shacl")));
        assertEquals(List.of(), configMaps(), "the rest is deleted after the Flink resource is gone");
    }

    @Test
    void undeployOfAnUnknownDeploymentDoesNothing() throws Exception {
        RecordingProgress progress = new RecordingProgress();
        assertEquals(List.of(), deployer.undeploy(namespace, "never-deployed", true, DEADLINE, progress));
        assertTrue(progress.lines.get(0).startsWith("nothing to undeploy"));
    }

    @Test
    void undeployOfAStatelessDeploymentTakesNoSavepoint() throws Exception {
        deployer.deploy(manifests(TestingDeploySettings.flink(null), TestingDeploySettings.SCRIPT),
                created -> () -> { }, DEADLINE, new RecordingProgress());
        RecordingProgress progress = new RecordingProgress();
        deployer.undeploy(namespace, "shacl", true, DEADLINE, progress);
        assertTrue(progress.lines.contains("FlinkDeployment/shacl has upgrade mode stateless: no savepoint is "
                + "taken, the operator cancels the job when the resource is deleted"), progress.lines.toString());
        assertTrue(progress.statuses.stream().noneMatch(s -> "SUSPENDED".equals(s.get("lifecycleState"))));
        assertNull(flink());
    }

    /** The rendered manifests with a FlinkDeployment the operator's validator rejects (no state directories). */
    private DeploymentManifests rejectedByTheOperator(String script) {
        DeploymentManifests manifests = manifests(script);
        Map<?, ?> spec = (Map<?, ?>) spec(manifests.flinkResource());
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
        Object v1Spec = spec(flink());
        DeployFailedException failure = assertThrows(DeployFailedException.class, () -> deployer.deploy(
                rejectedByTheOperator(TestingDeploySettings.SCRIPT + "-- v2\n"), created -> () -> { }, LONG,
                new RecordingProgress()));
        assertEquals(Reason.OPERATOR_ERROR, failure.reason(), failure.getMessage());
        assertTrue(failure.getMessage().startsWith("FlinkDeployment/shacl failed: the operator rejected generation 2 "
                + "(observed: 1, lifecycleState FAILED): Checkpoint directory"), failure.getMessage());
        assertEquals(v1Spec, spec(flink()));
    }

    @Test
    void aWebhookDenialIsARealAdmissionCallAndNothingIsApplied() throws Exception {
        try (TestingAdmissionWebhook webhook = TestingAdmissionWebhook.register(admin, namespace, Fko.V1_14)) {
            AtomicBoolean published = new AtomicBoolean();
            DeployFailedException failure = assertThrows(DeployFailedException.class, () -> deployer.deploy(
                    rejectedByTheOperator(TestingDeploySettings.SCRIPT), created -> {
                        published.set(true);
                        return () -> { };
                    }, LONG, new RecordingProgress()));
            assertEquals(Reason.OPERATOR_ERROR, failure.reason(), failure.getMessage());
            assertEquals("FlinkDeployment/shacl was refused by the API server (HTTP 400): admission webhook \""
                    + Fko.WEBHOOK + "\" denied the request: Checkpoint directory[execution.checkpointing.dir] must be "
                    + "defined for last-state and savepoint upgrade modes; nothing was applied", failure.getMessage());
            assertEquals(List.of("CREATE FlinkDeployment/shacl -> denied: Checkpoint directory[execution.checkpointing"
                    + ".dir] must be defined for last-state and savepoint upgrade modes"), webhook.reviews(),
                    "the API server asked the webhook (a dry run: nothing was stored)");
            assertFalse(published.get(), "no semantic data is published for a deploy the operator refuses");
            assertEquals(List.of(), configMaps());
            assertEquals(List.of(), topics());

            // A valid spec passes the same webhook, on create and on the upgrade's update.
            deployer.deploy(manifests(TestingDeploySettings.SCRIPT), created -> () -> { }, DEADLINE,
                    new RecordingProgress());
            deployer.deploy(manifests(TestingDeploySettings.SCRIPT + "-- v2\n"), created -> () -> { }, DEADLINE,
                    new RecordingProgress());
            assertTrue(webhook.reviews().contains("UPDATE FlinkDeployment/shacl -> allowed"), webhook.reviews()
                    .toString());
        }
    }

    @Test
    void aFlinkVersionTheInstalledCrdDoesNotKnowIsRefusedByTheApiServerBeforeAnythingIsApplied() {
        server.install(Fko.V1_10);
        try {
            DeployFailedException failure = assertThrows(DeployFailedException.class, () -> deployer.deploy(
                    manifests(TestingDeploySettings.SCRIPT), created -> () -> { }, LONG, new RecordingProgress()));
            assertEquals(Reason.OPERATOR_ERROR, failure.reason());
            assertTrue(failure.getMessage().startsWith("FlinkDeployment/shacl was refused by the API server (HTTP "
                    + "422): FlinkDeployment.flink.apache.org \"shacl\" is invalid: spec.flinkVersion: Unsupported "
                    + "value: \"v2_2\""), failure.getMessage());
            assertTrue(failure.getMessage().endsWith("; nothing was applied"), failure.getMessage());
            assertEquals(List.of(), configMaps());
            assertEquals(List.of(), topics());
        } finally {
            server.install(Fko.V1_14);
        }
    }

    /**
     * What other controllers add survives a redeploy: the operator's finalizer, a label and an annotation another
     * controller writes with server-side apply under its own field manager on the FlinkDeployment, Strimzi's
     * {@code strimzi.io/...} label and annotation on the KafkaTopics; and the spec key the new rendering drops is
     * removed. (A full PUT of the rendering, what the deployer did before, drops all of them: {@code
     * ApiServerSemanticsTest}.)
     */
    @Test
    void anotherFieldManagersMetadataSurvivesARedeployAndDroppedSpecKeysAreRemoved() throws Exception {
        FlinkSettings base = TestingDeploySettings.flink();
        FlinkSettings withSlots = new FlinkSettings(base.flinkVersion(), base.imageFlinkRelease(), base.image(),
                base.imagePullPolicy(), base.serviceAccount(), base.jobManager(), base.taskManager(),
                base.parallelism(), base.upgradeMode(), base.checkpointInterval(), base.stateDirectory(),
                base.runnerJarUri(), base.sqlDirectory(), Map.of("taskmanager.numberOfTaskSlots", "2"));
        deployer.deploy(manifests(withSlots, TestingDeploySettings.SCRIPT), created -> () -> { }, DEADLINE,
                new RecordingProgress());
        assertEquals(List.of(Fko.FINALIZER), flink().getMetadata().getFinalizers(), "the operator's finalizer");
        applyAs("backup-controller", CustomResourceKind.FLINK_DEPLOYMENT, "shacl",
                Map.of("labels", Map.of("team", "quality"), "annotations", Map.of("backup.example/keep", "7d")));
        for (GenericKubernetesResource topic : topics()) {
            applyAs("strimzi-topic-operator", CustomResourceKind.KAFKA_TOPIC, topic.getMetadata().getName(),
                    Map.of("labels", Map.of("strimzi.io/kind", "KafkaTopic"),
                            "annotations", Map.of("strimzi.io/managed", "true")));
        }
        admin.configMaps().inNamespace(namespace).withName("shacl-fjr-inventory").patch(
                PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"team\":\"quality\"}}}");

        DeploymentManifests v2 = manifests(TestingDeploySettings.SCRIPT + "-- v2\n");
        deployer.deploy(v2, created -> () -> { }, DEADLINE, new RecordingProgress());

        GenericKubernetesResource live = flink();
        assertEquals(List.of(Fko.FINALIZER), live.getMetadata().getFinalizers());
        assertEquals("quality", live.getMetadata().getLabels().get("team"));
        assertEquals("7d", live.getMetadata().getAnnotations().get("backup.example/keep"));
        assertTrue(managers(live).contains("backup-controller"), "the other manager still owns its fields: "
                + managers(live));
        assertEquals(v2.flinkResource().getMetadata().getAnnotations().get(ManifestRenderer.SCRIPT_SHA_ANNOTATION),
                live.getMetadata().getAnnotations().get(ManifestRenderer.SCRIPT_SHA_ANNOTATION));
        assertTrue(RealApiServer.storedAsRendered(spec(v2.flinkResource()), spec(live)),
                "the spec is exactly the rendered one, the dropped configuration key gone: " + spec(live));
        assertFalse(((Map<?, ?>) ((Map<?, ?>) spec(live)).get("flinkConfiguration"))
                .containsKey("taskmanager.numberOfTaskSlots"));
        for (GenericKubernetesResource topic : topics()) {
            assertEquals("KafkaTopic", topic.getMetadata().getLabels().get("strimzi.io/kind"), topic.toString());
            assertEquals("true", topic.getMetadata().getAnnotations().get("strimzi.io/managed"), topic.toString());
            assertEquals("my-cluster", topic.getMetadata().getLabels().get("strimzi.io/cluster"));
            assertTrue(managers(topic).contains("strimzi-topic-operator"), managers(topic).toString());
        }
        var inventory = admin.configMaps().inNamespace(namespace).withName("shacl-fjr-inventory").get();
        assertEquals("quality", inventory.getMetadata().getLabels().get("team"));
        assertEquals(v2.inventory().getData(), inventory.getData());
    }

    /** Server-side apply of {@code metadata} by {@code manager}: a field owner other than the deployer. */
    private void applyAs(String manager, CustomResourceKind kind, String name, Map<String, Object> metadata) {
        Map<String, Object> meta = new java.util.LinkedHashMap<>(metadata);
        meta.put("name", name);
        String body = SERIALIZATION.asJson(Map.of("apiVersion", kind.apiVersion(), "kind", kind.kind(),
                "metadata", meta));
        admin.genericKubernetesResources(KubernetesDeployer.context(kind)).inNamespace(namespace).withName(name)
                .patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager(manager)
                        .withForce(true).build(), body);
    }

    private static List<String> managers(GenericKubernetesResource resource) {
        return resource.getMetadata().getManagedFields().stream().map(ManagedFieldsEntry::getManager).toList();
    }

    /**
     * Strimzi 0.45 (v1beta2 only), 0.49 (v1 and the deprecated v1beta2) and 1.x (v1 only): the KafkaTopics are written
     * in the version discovery finds, v1 preferred (as {@code KubernetesBackend} renders them), the release's topic
     * operator marks them Ready, the deploy succeeds and the inventory names them in that version.
     */
    @ParameterizedTest
    @EnumSource(Strimzi.class)
    void kafkaTopicsAreWrittenInTheVersionDiscoveryFindsV1Preferred(Strimzi release) throws Exception {
        topicOperator.close();
        server.install(release);
        topicOperator = new TestingTopicOperator(admin, namespace, release, null);
        String expected = release.servedVersions().contains("v1") ? "v1" : "v1beta2";
        KubernetesDeployer fresh = new KubernetesDeployer(service, Clock.systemUTC());
        assertEquals(expected, fresh.servedKafkaTopic().orElseThrow().version());
        DeploySettings base = TestingDeploySettings.settings();
        DeploymentManifests manifests = ManifestRenderer.render(new DeploymentTarget(namespace, "shacl"),
                new DeploySettings(base.kafka().withApiVersion(expected), base.flink(), base.configMapPartBytes()),
                TestingDeploySettings.SCRIPT, TestingDeploySettings.topics());
        var result = fresh.deploy(manifests, created -> () -> { }, DEADLINE, new RecordingProgress());
        assertEquals("STABLE", result.status().lifecycleState());
        List<GenericKubernetesResource> topics = admin.genericKubernetesResources(KubernetesDeployer.context(
                CustomResourceKind.kafkaTopic(expected))).inNamespace(namespace).list().getItems();
        assertEquals(3, topics.size());
        assertTrue(topics.stream().allMatch(KubernetesDeployerTest::ready), topics.toString());
        assertEquals(List.of("kafka.strimzi.io/" + expected), fresh.inventory(namespace, "shacl").stream()
                .filter(o -> o.kind().equals("KafkaTopic")).map(OwnedResource::apiVersion).distinct().toList());
        assertTrue(new ClusterAccess(service).kafkaTopicApi().detail().startsWith("served as kafka.strimzi.io/"
                + expected), "the preflight names the same version");
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
        assertEquals(manifests.ownedResources(), deployer.inventory(namespace, "shacl"),
                "the inventory applied before the loss stays: the next attempt covers it");
        assertEquals(0, topics().size(), "nothing applied after the loss");
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
        assertEquals(3, topics().size(), "the rollback stopped before deleting anything");
    }

    @Test
    void anUndeployThatLostItsJobDeletesNothing() throws Exception {
        deployer.deploy(manifests(TestingDeploySettings.SCRIPT), created -> () -> { }, DEADLINE,
                new RecordingProgress());
        List<OwnedResource> before = deployer.inventory(namespace, "shacl");
        assertThrows(OwnershipLostException.class, () -> deployer.undeploy(namespace, "shacl", false, DEADLINE,
                new RecordingProgress().lostAfter(0)));
        assertEquals(before, deployer.inventory(namespace, "shacl"));
        assertEquals(3, topics().size());
    }
}
