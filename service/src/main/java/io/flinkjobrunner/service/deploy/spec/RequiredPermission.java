package io.flinkjobrunner.service.deploy.spec;

import java.util.List;

/**
 * One Kubernetes permission deploy needs in the target namespace: checked by the preflight and the readiness check
 * (SelfSubjectAccessReview) and granted by the Role in k8s-deployment.yaml and the Helm chart, which a test keeps equal.
 *
 * @param group API group ({@code ""} for the core group)
 * @param resource resource (plural)
 * @param verb verb
 */
public record RequiredPermission(String group, String resource, String verb) {

    private static final List<String> READ_WRITE = List.of("get", "list", "watch", "create", "update", "patch", "delete");
    private static final List<String> CONFIG_MAPS = List.of("get", "list", "create", "update", "patch", "delete");

    /** Everything deploy, undeploy and the preflight do, and nothing more: no secrets, no pods, no RBAC objects. */
    public static List<RequiredPermission> all() {
        List<RequiredPermission> all = new java.util.ArrayList<>();
        CONFIG_MAPS.forEach(verb -> all.add(new RequiredPermission("", "configmaps", verb)));
        READ_WRITE.forEach(verb -> all.add(new RequiredPermission("kafka.strimzi.io", "kafkatopics", verb)));
        READ_WRITE.forEach(verb -> all.add(new RequiredPermission("flink.apache.org", "flinkdeployments", verb)));
        READ_WRITE.forEach(verb -> all.add(new RequiredPermission("flink.apache.org", "flinksessionjobs", verb)));
        return List.copyOf(all);
    }

    @Override
    public String toString() {
        return verb + " " + (group.isEmpty() ? resource : resource + "." + group);
    }
}
