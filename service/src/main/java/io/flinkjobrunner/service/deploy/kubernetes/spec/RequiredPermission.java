package io.flinkjobrunner.service.deploy.kubernetes.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * One Kubernetes permission deploy needs: checked by the preflight and the readiness check (SelfSubjectAccessReview)
 * and granted by the Role (namespaced) and ClusterRole (one named CRD, read only) in k8s-deployment.yaml and the Helm
 * chart, which a test keeps equal.
 *
 * @param group API group ({@code ""} for the core group)
 * @param resource resource (plural)
 * @param verb verb
 * @param resourceName the one object a cluster-scoped permission is limited to; {@code null} for a namespaced one
 */
public record RequiredPermission(String group, String resource, String verb, String resourceName) {

    private static final List<String> APPLY = List.of("get", "list", "watch", "create", "patch", "delete");
    private static final List<String> CONFIG_MAPS = List.of("get", "list", "create", "patch", "delete");
    /** Session jobs are no longer created; undeploy still finds and removes one an earlier version created. */
    private static final List<String> CLEAN_UP = List.of("get", "list", "delete");

    /** A namespaced permission. */
    public RequiredPermission(String group, String resource, String verb) {
        this(group, resource, verb, null);
    }

    /**
     * Everything deploy, undeploy and the preflight do in the deploy namespace, and nothing more: no secrets, no pods,
     * no RBAC objects. Objects are changed by JSON merge patch, never replaced, so {@code update} is not needed.
     */
    public static List<RequiredPermission> all() {
        List<RequiredPermission> all = new ArrayList<>();
        CONFIG_MAPS.forEach(verb -> all.add(new RequiredPermission("", "configmaps", verb)));
        APPLY.forEach(verb -> all.add(new RequiredPermission("kafka.strimzi.io", "kafkatopics", verb)));
        APPLY.forEach(verb -> all.add(new RequiredPermission("flink.apache.org", "flinkdeployments", verb)));
        CLEAN_UP.forEach(verb -> all.add(new RequiredPermission("flink.apache.org", "flinksessionjobs", verb)));
        // The preflight checks that the Flink pods' service account exists (the operator creates it only in the
        // namespaces it watches).
        all.add(new RequiredPermission("", "serviceaccounts", "get"));
        return List.copyOf(all);
    }

    /**
     * The cluster-scoped reads: the installed FlinkDeployment CRD, whose {@code flinkVersion} enum says which Flink
     * releases the operator accepts.
     */
    public static List<RequiredPermission> clusterScoped() {
        return List.of(new RequiredPermission("apiextensions.k8s.io", "customresourcedefinitions", "get",
                CustomResourceKind.FLINK_DEPLOYMENT.crdName()));
    }

    /** Whether this permission is cluster-scoped (limited to {@link #resourceName()}). */
    public boolean clusterWide() {
        return resourceName != null;
    }

    @Override
    public String toString() {
        return verb + " " + (group.isEmpty() ? resource : resource + "." + group)
                + (resourceName == null ? "" : "/" + resourceName);
    }
}
