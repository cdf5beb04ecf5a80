package io.flinkjobrunner.service.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.flinkjobrunner.service.deploy.spec.CustomResourceKind;
import io.flinkjobrunner.service.deploy.spec.DeploymentManifests;
import io.flinkjobrunner.service.deploy.spec.DeploymentTarget;
import io.flinkjobrunner.service.deploy.spec.ManifestRenderer;
import io.flinkjobrunner.service.deploy.spec.TestingDeploySettings;
import io.flinkjobrunner.service.targets.OwnershipLostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kubernetes applies are fenced: once the replica running a deploy lost the job (another replica took it over), the
 * deployer changes nothing more, and does not roll back either: the replica that holds the job applies the same
 * manifests again, and undoing would fight it.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesDeployerFencingTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String NAMESPACE = "fenced";

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

    /** Progress of a job that is lost after {@code allowed} changes to the cluster. */
    private static final class LosingProgress implements DeployProgress {
        final AtomicInteger changes = new AtomicInteger();
        final RecordingProgress log = new RecordingProgress();
        private final int allowed;

        LosingProgress(int allowed) {
            this.allowed = allowed;
        }

        @Override
        public void log(String line) {
            log.log(line);
        }

        @Override
        public void status(Map<String, Object> fields) {
            log.status(fields);
        }

        @Override
        public boolean cancelRequested() {
            return false;
        }

        @Override
        public void beforeChange() {
            if (changes.incrementAndGet() > allowed) {
                throw new OwnershipLostException("job d1 is no longer run by replica-a/1 (attempt 1): attempt 2 by "
                        + "replica-b/1 runs it now");
            }
        }
    }

    private static DeploymentManifests manifests() {
        return ManifestRenderer.render(new DeploymentTarget(NAMESPACE, "shacl"), TestingDeploySettings.settings(),
                TestingDeploySettings.SCRIPT, TestingDeploySettings.topics());
    }

    private static int topics() {
        return client.genericKubernetesResources(KubernetesDeployer.context(CustomResourceKind.KAFKA_TOPIC))
                .inNamespace(NAMESPACE).list().getItems().size();
    }

    @Test
    void aDeployThatLostItsJobStopsWithoutRollingBack() {
        LosingProgress progress = new LosingProgress(1);
        AtomicBoolean undone = new AtomicBoolean();
        assertThrows(OwnershipLostException.class, () -> deployer.deploy(manifests(), created -> () -> undone.set(true),
                DEADLINE, progress));
        assertEquals(2, progress.changes.get(), "stopped at the second change");
        assertEquals(manifests().ownedResources(), deployer.inventory(NAMESPACE, "shacl"),
                "the inventory applied before the loss stays: the next attempt covers it");
        assertEquals(0, topics(), "nothing applied after the loss");
        assertFalse(undone.get());
        assertTrue(progress.log.lines.stream().noneMatch(l -> l.startsWith("rollback")), progress.log.lines.toString());
    }

    @Test
    void aDeployLostWhileRollingBackStopsRollingBack() {
        operator.behave(TestingFlinkOperator.Behaviour.FAIL);
        // inventory, three topics, the SQL ConfigMap and the Flink resource: six changes, then the rollback's first
        LosingProgress progress = new LosingProgress(6);
        assertThrows(OwnershipLostException.class, () -> deployer.deploy(manifests(), created -> () -> { },
                DEADLINE, progress));
        assertEquals(3, topics(), "the rollback stopped before deleting anything");
    }

    @Test
    void anUndeployThatLostItsJobDeletesNothing() throws Exception {
        deployer.deploy(manifests(), created -> () -> { }, DEADLINE, new RecordingProgress());
        List<?> before = deployer.inventory(NAMESPACE, "shacl");
        assertThrows(OwnershipLostException.class, () -> deployer.undeploy(NAMESPACE, "shacl", false, DEADLINE,
                new LosingProgress(0)));
        assertEquals(before, deployer.inventory(NAMESPACE, "shacl"));
        assertEquals(3, topics());
    }
}
