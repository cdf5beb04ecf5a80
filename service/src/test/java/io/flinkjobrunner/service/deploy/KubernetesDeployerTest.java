package io.flinkjobrunner.service.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.flinkjobrunner.service.deploy.DeployFailedException.Reason;
import io.flinkjobrunner.service.deploy.TestingFlinkOperator.Behaviour;
import io.flinkjobrunner.service.deploy.spec.CustomResourceKind;
import io.flinkjobrunner.service.deploy.spec.DeploySettings;
import io.flinkjobrunner.service.deploy.spec.DeploymentManifests;
import io.flinkjobrunner.service.deploy.spec.DeploymentTarget;
import io.flinkjobrunner.service.deploy.spec.KafkaTopicSettings;
import io.flinkjobrunner.service.deploy.spec.ManifestRenderer;
import io.flinkjobrunner.service.deploy.spec.OwnedResource;
import io.flinkjobrunner.service.deploy.spec.TestingDeploySettings;
import io.flinkjobrunner.service.targets.OwnershipLostException;
import io.flinkjobrunner.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deploy, upgrade, failure, deadline, cancel and undeploy against the CRUD mock with an operator double. */
@EnableKubernetesMockClient(crud = true)
class KubernetesDeployerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String NAMESPACE = "iff";

    static KubernetesMockServer server;
    static KubernetesClient client;

    private TestingFlinkOperator operator;
    private KubernetesDeployer deployer;

    @BeforeAll
    static void cluster() {
        TestingCluster.installCrds(client);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
                .build()).create();
    }

    @BeforeEach
    void operator() {
        operator = new TestingFlinkOperator(client, NAMESPACE);
        deployer = new KubernetesDeployer(client, Clock.systemUTC());
    }

    @AfterEach
    void cleanUp() throws Exception {
        operator.close();
        deployer.undeploy(NAMESPACE, "shacl", false, DEADLINE, new RecordingProgress());
        client.configMaps().inNamespace(NAMESPACE).delete();
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
    void operatorErrorOnAFirstDeployLeavesNothingBehind() {
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
        assertNull(flink());
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
    void deadlineFailsAndRollsBack() {
        operator.behave(Behaviour.IGNORE);
        DeployFailedException failure = assertThrows(DeployFailedException.class, () -> deployer.deploy(
                manifests(TestingDeploySettings.SCRIPT), created -> () -> { }, Duration.ofMillis(800),
                new RecordingProgress()));
        assertEquals(Reason.DEADLINE, failure.reason());
        assertTrue(failure.getMessage().contains("FlinkDeployment/shacl"), failure.getMessage());
        assertNull(flink());
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
        KafkaTopicSettings platform = new KafkaTopicSettings("my-cluster", 1, 1, null, true, Map.of());
        DeploymentManifests manifests = ManifestRenderer.render(new DeploymentTarget(NAMESPACE, "shacl"),
                new DeploySettings(platform, TestingDeploySettings.flink(
                        io.flinkjobrunner.service.deploy.spec.FlinkJobMode.APPLICATION), 4096),
                TestingDeploySettings.SCRIPT, TestingDeploySettings.topics());
        deployer.deploy(manifests, created -> () -> { }, DEADLINE, new RecordingProgress());
        client.configMaps().inNamespace(NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("someone-elses").endMetadata().build()).create();
        RecordingProgress progress = new RecordingProgress();
        List<OwnedResource> deleted = deployer.undeploy(NAMESPACE, "shacl", true, DEADLINE, progress);
        assertTrue(progress.statuses.stream().anyMatch(s -> "SUSPENDED".equals(s.get("lifecycleState"))));
        assertTrue(progress.lines.stream().anyMatch(l -> l.contains("with a savepoint")));
        assertEquals(3 + 2 + 1, deleted.size(), deleted.toString());
        assertNull(flink());
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
