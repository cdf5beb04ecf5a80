package io.flinkjobrunner.service.deploy.spec;

/**
 * A custom resource kind this service applies, with the plural the API paths use (so no discovery is needed).
 *
 * @param group API group
 * @param version API version within the group
 * @param kind kind
 * @param plural plural resource name
 */
public record CustomResourceKind(String group, String version, String kind, String plural) {

    /** Strimzi topic, one per Kafka topic. */
    public static final CustomResourceKind KAFKA_TOPIC =
            new CustomResourceKind("kafka.strimzi.io", "v1beta2", "KafkaTopic", "kafkatopics");
    /** Flink Kubernetes Operator: a Flink cluster, here in application mode. */
    public static final CustomResourceKind FLINK_DEPLOYMENT =
            new CustomResourceKind("flink.apache.org", "v1beta1", "FlinkDeployment", "flinkdeployments");
    /** Flink Kubernetes Operator: a job on an existing session cluster. */
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

    /** The kind an inventory entry names, if it is one of ours. */
    public static CustomResourceKind of(String apiVersion, String kind) {
        for (CustomResourceKind known : new CustomResourceKind[] {KAFKA_TOPIC, FLINK_DEPLOYMENT, FLINK_SESSION_JOB}) {
            if (known.apiVersion().equals(apiVersion) && known.kind().equals(kind)) {
                return known;
            }
        }
        return null;
    }
}
