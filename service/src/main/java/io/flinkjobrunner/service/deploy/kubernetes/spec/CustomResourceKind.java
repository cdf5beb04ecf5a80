package io.flinkjobrunner.service.deploy.kubernetes.spec;

import io.flinkjobrunner.service.problems.InvalidDeploymentException;
import java.util.List;

/**
 * A custom resource kind this service applies, with the plural the API paths use (so no discovery is needed).
 *
 * @param group API group
 * @param version API version within the group
 * @param kind kind
 * @param plural plural resource name
 */
public record CustomResourceKind(String group, String version, String kind, String plural) {

    /** Strimzi's API group. */
    public static final String STRIMZI_GROUP = "kafka.strimzi.io";
    /** Strimzi topic as Strimzi 0.40–0.49 serve it (0.45 is what the IndustryFusion platform installs). */
    public static final CustomResourceKind KAFKA_TOPIC =
            new CustomResourceKind(STRIMZI_GROUP, "v1beta2", "KafkaTopic", "kafkatopics");
    /** Strimzi topic as Strimzi 0.49 and 1.x serve it (1.x serves only this version). */
    public static final CustomResourceKind KAFKA_TOPIC_V1 =
            new CustomResourceKind(STRIMZI_GROUP, "v1", "KafkaTopic", "kafkatopics");
    /** The KafkaTopic versions this service writes, preferred first. */
    public static final List<CustomResourceKind> KAFKA_TOPICS = List.of(KAFKA_TOPIC_V1, KAFKA_TOPIC);
    /** Flink Kubernetes Operator: a Flink cluster, here in application mode. */
    public static final CustomResourceKind FLINK_DEPLOYMENT =
            new CustomResourceKind("flink.apache.org", "v1beta1", "FlinkDeployment", "flinkdeployments");
    /**
     * Flink Kubernetes Operator: a job on an existing session cluster. This service no longer renders it (session mode
     * is refused, see {@code FlinkSettings}); undeploy still removes one an earlier version created.
     */
    public static final CustomResourceKind FLINK_SESSION_JOB =
            new CustomResourceKind("flink.apache.org", "v1beta1", "FlinkSessionJob", "flinksessionjobs");

    /** {@code group/version}. */
    public String apiVersion() {
        return group + "/" + version;
    }

    /** The CRD's name, {@code plural.group}. */
    public String crdName() {
        return plural + "." + group;
    }

    /** Whether {@code other} is the same kind, in whatever version. */
    public boolean sameKind(CustomResourceKind other) {
        return other != null && group.equals(other.group) && kind.equals(other.kind);
    }

    /** The KafkaTopic kind of {@code version} ({@code v1} or {@code v1beta2}). */
    public static CustomResourceKind kafkaTopic(String version) {
        for (CustomResourceKind known : KAFKA_TOPICS) {
            if (known.version().equals(version)) {
                return known;
            }
        }
        throw new InvalidDeploymentException("KafkaTopic API version '" + version + "' is not one this service "
                + "writes (v1 for Strimzi 0.49 and 1.x, v1beta2 for Strimzi 0.40–0.49)");
    }

    /** The kind an inventory entry names, if it is one of ours. */
    public static CustomResourceKind of(String apiVersion, String kind) {
        for (CustomResourceKind known : new CustomResourceKind[] {KAFKA_TOPIC, KAFKA_TOPIC_V1, FLINK_DEPLOYMENT,
                FLINK_SESSION_JOB}) {
            if (known.apiVersion().equals(apiVersion) && known.kind().equals(kind)) {
                return known;
            }
        }
        return null;
    }
}
