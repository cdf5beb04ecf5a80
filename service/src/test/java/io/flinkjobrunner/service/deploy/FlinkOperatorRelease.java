package io.flinkjobrunner.service.deploy;

import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.flinkjobrunner.service.deploy.spec.CustomResourceKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Flink Kubernetes Operator release and its CRDs (FlinkDeployment, FlinkSessionJob) as the API server serves them.
 *
 * <p>Only the 1.10.0 api jar is on Maven Central here; its {@code META-INF/fabric8/*-v1.yml} are the CRDs that
 * release installs. The newer releases are that CRD with the {@code spec.flinkVersion} enum of their own
 * {@code FlinkVersion} Java enum, as ../shared/docs/REFERENCE-OPERATORS.md documents it from their release tags: that
 * enum is the one schema difference a deploy of ours can hit, so encoding it is encoding documented real behaviour,
 * not relaxing a schema. Nothing else of the 1.10 schema is changed.
 */
public enum FlinkOperatorRelease {

    /** 1.10.0: the jar's CRDs as they are (no Flink 2.x value). */
    FKO_1_10("1.10.0", List.of()),
    /** 1.13.0: knows up to {@code v2_2}. */
    FKO_1_13("1.13.0", List.of("v2_0", "v2_1", "v2_2")),
    /** 1.14.0 (what the IndustryFusion platform installs): up to {@code v2_2}. */
    FKO_1_14("1.14.0", List.of("v2_0", "v2_1", "v2_2")),
    /** 1.15.0: the first release with {@code v2_3}, up to {@code v2_4}. */
    FKO_1_15("1.15.0", List.of("v2_0", "v2_1", "v2_2", "v2_3", "v2_4"));

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final String FLINK_VERSION_ENUM = "/spec/properties/flinkVersion/enum";
    /** Annotation naming the release a test installed, so the harness swaps CRDs only when another is wanted. */
    static final String RELEASE_ANNOTATION = "flink-job-runner.test/release";

    private final String version;
    private final List<String> addedFlinkVersions;

    FlinkOperatorRelease(String version, List<String> addedFlinkVersions) {
        this.version = version;
        this.addedFlinkVersions = addedFlinkVersions;
    }

    /** The release, e.g. {@code 1.14.0}. */
    public String version() {
        return version;
    }

    /** The FlinkDeployment and FlinkSessionJob CRDs of this release. */
    public List<CustomResourceDefinition> crds() {
        CustomResourceDefinition deployment = jarCrd(CustomResourceKind.FLINK_DEPLOYMENT);
        for (var crdVersion : deployment.getSpec().getVersions()) {
            var properties = crdVersion.getSchema().getOpenAPIV3Schema().getProperties().get("spec").getProperties();
            var flinkVersion = properties.get("flinkVersion");
            if (flinkVersion == null || flinkVersion.getEnum() == null) {
                throw new IllegalStateException("the 1.10 FlinkDeployment CRD has no flinkVersion enum in "
                        + crdVersion.getName() + " (" + FLINK_VERSION_ENUM + ")");
            }
            var values = new ArrayList<>(flinkVersion.getEnum());
            addedFlinkVersions.forEach(v -> values.add(TextNode.valueOf(v)));
            flinkVersion.setEnum(values);
        }
        List<CustomResourceDefinition> crds = List.of(deployment, jarCrd(CustomResourceKind.FLINK_SESSION_JOB));
        crds.forEach(crd -> crd.getMetadata().setAnnotations(Map.of(RELEASE_ANNOTATION, version)));
        return crds;
    }

    /** The {@code spec.flinkVersion} values this release accepts. */
    public List<String> flinkVersions() {
        List<String> values = new ArrayList<>();
        crds().get(0).getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec")
                .getProperties().get("flinkVersion").getEnum().forEach(v -> values.add(v.asText()));
        return values;
    }

    private static CustomResourceDefinition jarCrd(CustomResourceKind kind) {
        String resource = "META-INF/fabric8/" + kind.crdName() + "-v1.yml";
        try (InputStream in = FlinkOperatorRelease.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " (flink-kubernetes-operator-api) is not on the test "
                        + "classpath");
            }
            return SERIALIZATION.unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
