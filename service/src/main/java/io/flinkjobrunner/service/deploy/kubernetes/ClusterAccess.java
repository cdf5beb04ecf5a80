package io.flinkjobrunner.service.deploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.flinkjobrunner.service.deploy.PreflightReport.Check;
import io.flinkjobrunner.service.deploy.kubernetes.spec.CustomResourceKind;
import io.flinkjobrunner.service.deploy.kubernetes.spec.FlinkVersions;
import io.flinkjobrunner.service.deploy.kubernetes.spec.RequiredPermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what deploy needs from the cluster without changing it: API reachable, CRDs served (and which KafkaTopic
 * version), the installed operator accepting the declared {@code flinkVersion}, namespace and Flink service account
 * present, the topic operator reconciling the namespace, permissions granted (SelfSubjectAccessReview). Used by the
 * {@code setup} preflight, the checks before {@code deploy} applies anything, and the readiness check.
 */
public final class ClusterAccess {

    /** What the preflight checks the cluster against: the values deploy renders. */
    public record Expectations(String flinkVersion, String flinkServiceAccount, String strimziCluster) {
    }

    private final KubernetesClient client;

    public ClusterAccess(KubernetesClient client) {
        this.client = client;
    }

    /** All checks for deploying into {@code namespace} with {@code expected}. */
    public List<Check> checks(String namespace, Expectations expected) {
        List<Check> checks = new ArrayList<>();
        Check api = apiServer();
        checks.add(api);
        if (!api.ok()) {
            return checks;
        }
        checks.add(crd(CustomResourceKind.FLINK_DEPLOYMENT));
        checks.add(kafkaTopicApi());
        checks.add(flinkVersionAccepted(expected.flinkVersion()));
        checks.add(namespace(namespace));
        checks.add(serviceAccount(namespace, expected.flinkServiceAccount()));
        checks.add(topicOperator(namespace, expected.strimziCluster()));
        checks.addAll(permissions(namespace));
        return checks;
    }

    /** API server reachable and every permission granted: what readiness reports (no CRD or namespace reads). */
    public List<Check> reachableAndPermitted(String namespace) {
        List<Check> checks = new ArrayList<>();
        Check api = apiServer();
        checks.add(api);
        if (api.ok()) {
            checks.addAll(permissions(namespace));
        }
        return checks;
    }

    /** One check per required permission, each a SelfSubjectAccessReview (in {@code namespace} if namespaced). */
    public List<Check> permissions(String namespace) {
        List<Check> checks = new ArrayList<>();
        List<RequiredPermission> all = new ArrayList<>(RequiredPermission.all());
        all.addAll(RequiredPermission.clusterScoped());
        for (RequiredPermission permission : all) {
            SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder()
                    .withNewSpec().withNewResourceAttributes()
                    .withNamespace(permission.clusterWide() ? null : namespace).withGroup(permission.group())
                    .withResource(permission.resource()).withVerb(permission.verb())
                    .withName(permission.resourceName())
                    .endResourceAttributes().endSpec().build();
            String name = permission + (permission.clusterWide() ? " (cluster)" : " in " + namespace);
            try {
                SelfSubjectAccessReview answer = client.authorization().v1().selfSubjectAccessReview()
                        .create(review);
                boolean allowed = answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
                checks.add(new Check(name, allowed, allowed ? "allowed"
                        : "denied" + (answer.getStatus() != null && answer.getStatus().getReason() != null
                                && !answer.getStatus().getReason().isEmpty()
                                ? " (" + answer.getStatus().getReason() + ")" : "")
                                + ": grant it in the service account's "
                                + (permission.clusterWide() ? "ClusterRole" : "Role")));
            } catch (KubernetesClientException e) {
                checks.add(new Check(name, false, "access review failed: " + e.getMessage()));
            }
        }
        return checks;
    }

    /**
     * The KafkaTopic kind the cluster serves, {@code v1} preferred over {@code v1beta2} (Strimzi 1.x serves only
     * {@code v1}, 0.4x only {@code v1beta2}, 0.49 both); empty when it serves neither.
     */
    public Optional<CustomResourceKind> servedKafkaTopic() {
        for (CustomResourceKind kind : CustomResourceKind.KAFKA_TOPICS) {
            if (served(kind)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    /** The KafkaTopic version deploy will use. */
    public Check kafkaTopicApi() {
        String name = "CRD " + CustomResourceKind.KAFKA_TOPIC.crdName();
        try {
            return servedKafkaTopic().map(kind -> new Check(name, true, "served as " + kind.apiVersion()
                    + ", which deploy uses"))
                    .orElseGet(() -> new Check(name, false, "neither kafka.strimzi.io/v1 nor v1beta2 is served: "
                            + "install Strimzi (0.40 or later) and its CRDs"));
        } catch (KubernetesClientException e) {
            return new Check(name, false, "discovery failed: " + e.getMessage());
        }
    }

    /**
     * Whether the installed operator accepts {@code flinkVersion}: the enum of the installed FlinkDeployment CRD
     * (each operator release knows a fixed list; the API server refuses any other value).
     */
    public Check flinkVersionAccepted(String flinkVersion) {
        String name = "flinkVersion " + flinkVersion;
        String crd = CustomResourceKind.FLINK_DEPLOYMENT.crdName();
        CustomResourceDefinition definition;
        try {
            definition = client.apiextensions().v1().customResourceDefinitions().withName(crd).get();
        } catch (KubernetesClientException e) {
            return new Check(name, false, "cannot read the CRD " + crd + " (HTTP " + e.getCode() + "): grant get on "
                    + "customresourcedefinitions/" + crd + " (the chart's ClusterRole does)");
        }
        if (definition == null) {
            return new Check(name, false, "the CRD " + crd + " is not installed: install the Flink Kubernetes "
                    + "Operator (1.13 or later)");
        }
        List<String> accepted = acceptedFlinkVersions(definition);
        if (accepted.isEmpty()) {
            return new Check(name, true, "the installed CRD does not restrict flinkVersion");
        }
        if (accepted.contains(flinkVersion)) {
            return new Check(name, true, "accepted by the installed Flink operator (it accepts "
                    + String.join(", ", accepted) + ")");
        }
        return new Check(name, false, "the installed Flink operator accepts only " + String.join(", ", accepted)
                + ", not " + flinkVersion + " (the Flink release of the image; this build runs Flink "
                + FlinkVersions.runtime() + "): upgrade the Flink Kubernetes Operator to a release that knows "
                + flinkVersion + " (1.13, 1.14 and 1.15 accept v2_2)");
    }

    /** The values the {@code v1beta1} schema of a FlinkDeployment CRD allows for {@code spec.flinkVersion}. */
    static List<String> acceptedFlinkVersions(CustomResourceDefinition definition) {
        List<String> accepted = new ArrayList<>();
        for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
            if (!CustomResourceKind.FLINK_DEPLOYMENT.version().equals(version.getName())
                    || version.getSchema() == null || version.getSchema().getOpenAPIV3Schema() == null) {
                continue;
            }
            JSONSchemaProps spec = version.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
            JSONSchemaProps field = spec == null ? null : spec.getProperties().get("flinkVersion");
            if (field != null && field.getEnum() != null) {
                for (JsonNode value : field.getEnum()) {
                    accepted.add(value.asText());
                }
            }
        }
        return accepted;
    }

    /** The Flink pods' service account exists in {@code namespace}. */
    public Check serviceAccount(String namespace, String account) {
        String name = "service account " + account + " in " + namespace;
        try {
            return client.serviceAccounts().inNamespace(namespace).withName(account).get() != null
                    ? new Check(name, true, "exists (the Flink pods run as it)")
                    : new Check(name, false, "does not exist: the Flink operator creates it (with its Role) only in "
                            + "the namespaces it watches; add " + namespace + " to the operator's watchNamespaces "
                            + "or create the account with the operator's Flink RBAC, else the JobManager never "
                            + "starts");
        } catch (KubernetesClientException e) {
            return new Check(name, false, "cannot be read (HTTP " + e.getCode() + "): " + e.getMessage());
        }
    }

    /**
     * Whether Strimzi's topic operator reconciles KafkaTopics of {@code strimziCluster} in {@code namespace}. It
     * watches one namespace (its Kafka's, or {@code entityOperator.topicOperator.watchedNamespace}), which the service
     * account cannot read; the evidence used instead is a KafkaTopic of that cluster in the namespace that the topic
     * operator marked Ready. Without one this is a warning, not a failure: the first deployment's topics are the first.
     */
    public Check topicOperator(String namespace, String strimziCluster) {
        String name = "topic operator of Kafka " + strimziCluster + " in " + namespace;
        try {
            Optional<CustomResourceKind> kind = servedKafkaTopic();
            if (kind.isEmpty()) {
                return new Check(name, false, "no KafkaTopic CRD is served");
            }
            List<GenericKubernetesResource> topics = client.genericKubernetesResources(
                    KubernetesDeployer.context(kind.get())).inNamespace(namespace)
                    .withLabel("strimzi.io/cluster", strimziCluster).list().getItems();
            long ready = topics.stream().filter(ClusterAccess::ready).count();
            if (ready > 0) {
                return new Check(name, true, ready + " of " + topics.size() + " KafkaTopic(s) of the cluster here "
                        + "are Ready: the topic operator watches " + namespace);
            }
            return Check.warn(name, (topics.isEmpty() ? "no KafkaTopic of the cluster" : "no Ready KafkaTopic of "
                    + "the cluster (" + topics.size() + " present)") + " in " + namespace + ": Strimzi's topic "
                    + "operator watches only its Kafka's namespace or entityOperator.topicOperator.watchedNamespace; "
                    + "if that is not " + namespace + ", the deployment's topics never become Ready and deploy "
                    + "fails at its deadline");
        } catch (KubernetesClientException e) {
            return new Check(name, false, "KafkaTopics cannot be listed (HTTP " + e.getCode() + "): "
                    + e.getMessage());
        }
    }

    private static boolean ready(GenericKubernetesResource topic) {
        if (!(topic.getAdditionalProperties().get("status") instanceof Map<?, ?> status)
                || !(status.get("conditions") instanceof List<?> conditions)) {
            return false;
        }
        return conditions.stream().anyMatch(c -> c instanceof Map<?, ?> condition
                && "Ready".equals(condition.get("type")) && "True".equals(condition.get("status")));
    }

    private boolean served(CustomResourceKind kind) {
        try {
            APIResourceList resources = client.getApiResources(kind.apiVersion());
            return resources != null && resources.getResources().stream()
                    .anyMatch(r -> kind.plural().equals(r.getName()));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private Check apiServer() {
        try {
            var version = client.getKubernetesVersion();
            return new Check("API server", true, "reachable at " + client.getMasterUrl()
                    + (version == null ? "" : " (Kubernetes " + version.getGitVersion() + ")"));
        } catch (KubernetesClientException e) {
            return new Check("API server", false, "unreachable at " + client.getMasterUrl() + ": "
                    + e.getMessage());
        }
    }

    private Check crd(CustomResourceKind kind) {
        String name = "CRD " + kind.crdName() + " (" + kind.apiVersion() + ")";
        try {
            boolean served = served(kind);
            return new Check(name, served, served ? "served"
                    : "not served: install the Flink Kubernetes operator's CRDs (1.13 or later)");
        } catch (KubernetesClientException e) {
            return new Check(name, false, "discovery failed: " + e.getMessage());
        }
    }

    private Check namespace(String namespace) {
        String name = "namespace " + namespace;
        try {
            return client.namespaces().withName(namespace).get() != null
                    ? new Check(name, true, "exists")
                    : new Check(name, false, "does not exist");
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                // A namespaced Role cannot grant reading namespaces; the permission reviews below prove access.
                return new Check(name, true, "not readable by the service account (403); existence not verified");
            }
            return new Check(name, false, e.getMessage());
        }
    }
}
