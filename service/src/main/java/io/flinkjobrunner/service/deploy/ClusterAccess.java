package io.flinkjobrunner.service.deploy;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.flinkjobrunner.service.deploy.PreflightReport.Check;
import io.flinkjobrunner.service.deploy.spec.CustomResourceKind;
import io.flinkjobrunner.service.deploy.spec.RequiredPermission;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what deploy needs from the cluster without changing it: API reachable, CRDs served, namespace present,
 * permissions granted (SelfSubjectAccessReview). Used by the {@code setup} preflight and the readiness check.
 */
public final class ClusterAccess {

    private final KubernetesClient client;

    public ClusterAccess(KubernetesClient client) {
        this.client = client;
    }

    /** All checks for deploying into {@code namespace}. */
    public List<Check> checks(String namespace) {
        List<Check> checks = new ArrayList<>();
        try {
            var version = client.getKubernetesVersion();
            checks.add(new Check("API server", true, "reachable at " + client.getMasterUrl()
                    + (version == null ? "" : " (Kubernetes " + version.getGitVersion() + ")")));
        } catch (KubernetesClientException e) {
            checks.add(new Check("API server", false, "unreachable at " + client.getMasterUrl() + ": "
                    + e.getMessage()));
            return checks;
        }
        for (CustomResourceKind kind : List.of(CustomResourceKind.KAFKA_TOPIC, CustomResourceKind.FLINK_DEPLOYMENT,
                CustomResourceKind.FLINK_SESSION_JOB)) {
            checks.add(crd(kind));
        }
        checks.add(namespace(namespace));
        checks.addAll(permissions(namespace));
        return checks;
    }

    /** API server reachable and every permission granted: what readiness depends on (no CRD or namespace reads). */
    public List<Check> reachableAndPermitted(String namespace) {
        List<Check> checks = new ArrayList<>();
        try {
            client.getKubernetesVersion();
            checks.add(new Check("API server", true, "reachable"));
        } catch (KubernetesClientException e) {
            checks.add(new Check("API server", false, "unreachable at " + client.getMasterUrl() + ": "
                    + e.getMessage()));
            return checks;
        }
        checks.addAll(permissions(namespace));
        return checks;
    }

    /** One check per required permission, each a SelfSubjectAccessReview in {@code namespace}. */
    public List<Check> permissions(String namespace) {
        List<Check> checks = new ArrayList<>();
        for (RequiredPermission permission : RequiredPermission.all()) {
            SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder()
                    .withNewSpec().withNewResourceAttributes()
                    .withNamespace(namespace).withGroup(permission.group()).withResource(permission.resource())
                    .withVerb(permission.verb())
                    .endResourceAttributes().endSpec().build();
            try {
                SelfSubjectAccessReview answer = client.authorization().v1().selfSubjectAccessReview()
                        .create(review);
                boolean allowed = answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
                checks.add(new Check(permission + " in " + namespace, allowed, allowed ? "allowed"
                        : "denied" + (answer.getStatus() != null && answer.getStatus().getReason() != null
                                && !answer.getStatus().getReason().isEmpty()
                                ? " (" + answer.getStatus().getReason() + ")" : "")
                                + ": grant it in the service account's Role"));
            } catch (KubernetesClientException e) {
                checks.add(new Check(permission + " in " + namespace, false,
                        "access review failed: " + e.getMessage()));
            }
        }
        return checks;
    }

    private Check crd(CustomResourceKind kind) {
        String name = "CRD " + kind.crdName() + " (" + kind.apiVersion() + ")";
        try {
            APIResourceList resources = client.getApiResources(kind.apiVersion());
            boolean served = resources != null && resources.getResources().stream()
                    .anyMatch(r -> kind.plural().equals(r.getName()));
            return new Check(name, served, served ? "served"
                    : "not served: install the " + (kind == CustomResourceKind.KAFKA_TOPIC ? "Strimzi"
                            : "Flink Kubernetes") + " operator's CRDs");
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
