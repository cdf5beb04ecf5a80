package io.flinkjobrunner.service.deploy;

import io.flinkjobrunner.service.config.DeployConfig;
import io.flinkjobrunner.service.deploy.kubernetes.CrdSchemas;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Fko;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Strimzi;
import io.flinkjobrunner.service.deploy.kubernetes.spec.DeploymentManifests;
import io.flinkjobrunner.service.deploy.kubernetes.spec.DeploymentTarget;
import io.flinkjobrunner.service.deploy.kubernetes.spec.FlinkVersions;
import io.flinkjobrunner.service.problems.InvalidDeploymentException;
import io.flinkjobrunner.service.deploy.kubernetes.spec.ManifestRenderer;
import io.flinkjobrunner.service.deploy.kubernetes.spec.TestingDeploySettings;
import io.flinkjobrunner.service.deploy.kubernetes.spec.UpgradeMode;
import io.flinkjobrunner.service.packaging.ServiceManifests;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a new user gets, checked as the issue checks it: {@code plan} with the shipped defaults (the service's own, the
 * Helm chart's with its documented required value, k8s-deployment.yaml's), with an {@code s3://} state directory and
 * in session mode; every rendered object validated against the CRDs of FKO 1.14.0 and 1.15.0 and Strimzi 0.45.0 and
 * against the FKO validator's rules with the operator's stock configuration.
 *
 * <p>The configuration is built exactly as the service builds it (SmallRye config mapping of {@link DeployConfig},
 * with environment variables mapped as in the container), so the defaults checked are the shipped ones.
 */
class ShippedConfigurationTest {

    /** The configuration the service sees with {@code env} as its container environment. */
    static DeployConfig fromEnvironment(Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(DeployConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new EnvConfigSource(env, 300)).build();
        return config.getConfigMapping(DeployConfig.class);
    }

    static DeployConfig fromProperties(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(DeployConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100)).build();
        return config.getConfigMapping(DeployConfig.class);
    }

    /** The literal environment of the service container of a rendering of the service manifests. */
    static Map<String, String> containerEnvironment(String yaml) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode container = ServiceManifests.only(ServiceManifests.documents(yaml), "Deployment")
                .at("/spec/template/spec/containers/0");
        container.path("env").forEach(e -> {
            if (e.has("value")) {
                env.put(e.path("name").asText(), e.path("value").asText());
            }
        });
        return env;
    }

    static Stream<Arguments> shipped() throws Exception {
        return Stream.of(
                Arguments.of("service defaults", fromProperties(Map.of()), UpgradeMode.STATELESS, null),
                Arguments.of("helm chart with the required flink.stateDir",
                        fromEnvironment(containerEnvironment(ServiceManifests.helmTemplate(Map.of()))),
                        UpgradeMode.SAVEPOINT, "flink-s3-fs-presto-" + FlinkVersions.runtime() + ".jar"),
                Arguments.of("k8s-deployment.yaml",
                        fromEnvironment(containerEnvironment(ServiceManifests.plainManifests())),
                        UpgradeMode.SAVEPOINT, "flink-s3-fs-presto-" + FlinkVersions.runtime() + ".jar"),
                Arguments.of("s3 state directory",
                        fromProperties(Map.of("runner.deploy.flink.state-dir", "s3://flink-state/fjr")),
                        UpgradeMode.SAVEPOINT, "flink-s3-fs-presto-" + FlinkVersions.runtime() + ".jar"),
                Arguments.of("helm chart, stateless",
                        fromEnvironment(containerEnvironment(ServiceManifests.helmTemplate(Map.of(
                                "flink.stateDir", "", "flink.upgradeMode", "stateless")))),
                        UpgradeMode.STATELESS, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shipped")
    void planRendersWhatTheOperatorsUsersRunAccept(String name, DeployConfig config, UpgradeMode mode,
            String plugins) {
        DeploymentManifests manifests = ManifestRenderer.render(new DeploymentTarget("iff", "shacl"),
                config.settings(), TestingDeploySettings.SCRIPT, TestingDeploySettings.topics());
        String yaml = manifests.toYaml();
        for (Fko fko : List.of(Fko.V1_14, Fko.V1_15)) {
            assertEquals(List.of(), CrdSchemas.violations(yaml, fko, Strimzi.V0_45), name + " on FKO "
                    + fko.release());
        }
        assertEquals(mode, config.settings().flink().upgradeMode());
        assertEquals(plugins != null, yaml.contains("ENABLE_BUILT_IN_PLUGINS"), yaml);
        if (plugins != null) {
            assertTrue(yaml.contains("value: \"" + plugins + "\""), yaml);
        }
    }

    @Test
    void sessionModeIsRefusedWithTheReason() {
        DeployConfig session = fromProperties(Map.of("runner.deploy.flink.mode", "session"));
        InvalidDeploymentException refused = assertThrows(InvalidDeploymentException.class, session::settings);
        assertTrue(refused.getMessage().startsWith("runner.deploy.flink.mode=session is not supported"),
                refused.getMessage());
    }

    @Test
    void aSavepointUpgradeWithoutAStateDirectoryIsRefusedAtPlanWithTheOperatorsReason() {
        DeployConfig config = fromProperties(Map.of("runner.deploy.flink.upgrade-mode", "savepoint"));
        InvalidDeploymentException refused = assertThrows(InvalidDeploymentException.class, () -> ManifestRenderer
                .render(new DeploymentTarget("iff", "shacl"), config.settings(), TestingDeploySettings.SCRIPT,
                        TestingDeploySettings.topics()));
        assertTrue(refused.getMessage().startsWith("the Flink operator would reject this FlinkDeployment: "
                + "Checkpoint directory[execution.checkpointing.dir] must be defined"), refused.getMessage());
    }

    @Test
    void aFlinkVersionOtherThanTheImagesIsRefusedUnlessACustomImageIsDeclared() {
        InvalidDeploymentException refused = assertThrows(InvalidDeploymentException.class,
                () -> fromProperties(Map.of("runner.deploy.flink.version", "v2_0")).settings());
        assertTrue(refused.getMessage().startsWith("runner.deploy.flink.version=v2_0 does not match the Flink "
                + "release of the image"), refused.getMessage());
        assertEquals("v2_1", fromProperties(Map.of("runner.deploy.flink.version", "v2_1",
                "runner.deploy.flink.image-flink-version", "2.1.1")).settings().flink().flinkVersion());
    }
}
