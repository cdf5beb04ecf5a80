package io.flinkjobrunner.service.deploy;

import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscoveryBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.flinkjobrunner.service.deploy.OperatorRelease.Fko;
import io.flinkjobrunner.service.deploy.OperatorRelease.Strimzi;
import io.flinkjobrunner.service.deploy.spec.CustomResourceKind;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Prepares a fabric8 CRUD mock server as a cluster with the Flink operator's and Strimzi's CRDs installed (as
 * apiextensions.k8s.io/v1, what current API servers serve and the operators' charts install).
 */
public final class TestingCluster {

    private TestingCluster() {
    }

    /** {@link #installCrds(KubernetesClient, Fko, Strimzi)} of what the platform installs: FKO 1.14, Strimzi 0.45. */
    public static void installCrds(KubernetesClient client) {
        installCrds(client, Fko.V1_14, Strimzi.V0_45);
    }

    /**
     * Creates the FlinkDeployment, FlinkSessionJob and KafkaTopic CRDs of the given releases, so their API paths,
     * discovery and status subresources work.
     */
    public static void installCrds(KubernetesClient client, Fko fko, Strimzi strimzi) {
        for (CustomResourceKind kind : List.of(CustomResourceKind.FLINK_DEPLOYMENT,
                CustomResourceKind.FLINK_SESSION_JOB)) {
            client.apiextensions().v1().customResourceDefinitions().load(stream(CrdSchemas.crdYaml(fko, kind)))
                    .create();
        }
        client.apiextensions().v1().customResourceDefinitions().load(stream(CrdSchemas.crdYaml(strimzi))).create();
    }

    /**
     * Answers SelfSubjectAccessReviews as an authorizer would: allowed, unless "{@code verb resource}" is in
     * {@code denied} (read at each request, so a test may change it).
     */
    public static void serveAccessReviews(KubernetesMockServer server, Set<String> denied) {
        KubernetesSerialization serialization = new KubernetesSerialization();
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
                .andReply(201, request -> {
                    SelfSubjectAccessReview review = serialization.unmarshal(request.getBody().readUtf8(),
                            SelfSubjectAccessReview.class);
                    var attributes = review.getSpec().getResourceAttributes();
                    boolean deny = denied.contains(attributes.getVerb() + " " + attributes.getResource());
                    review.setStatus(new SubjectAccessReviewStatus(!deny, deny, null, deny ? "RBAC: no rule" : ""));
                    return review;
                }).always();
    }

    /**
     * Serves the discovery documents kubectl reads before applying ({@code /api}, {@code /apis} and the built-in group
     * versions, and the custom resources' group versions with the query kubectl adds).
     */
    public static void serveDiscovery(KubernetesMockServer server) {
        serveCustomResources(server);
        serve(server, "/api", new APIVersionsBuilder().withVersions("v1").build());
        APIGroupListBuilder groups = new APIGroupListBuilder();
        for (String groupVersion : List.of("apps/v1", "rbac.authorization.k8s.io/v1", "policy/v1",
                "kafka.strimzi.io/v1beta2", "flink.apache.org/v1beta1")) {
            String group = groupVersion.substring(0, groupVersion.indexOf('/'));
            var discovery = new GroupVersionForDiscoveryBuilder().withGroupVersion(groupVersion)
                    .withVersion(groupVersion.substring(group.length() + 1)).build();
            groups.addToGroups(new APIGroupBuilder().withName(group).withVersions(discovery)
                    .withPreferredVersion(discovery).build());
        }
        serve(server, "/apis", groups.build());
        serve(server, "/api/v1", new APIResourceListBuilder().withGroupVersion("v1")
                .addToResources(resource("configmaps", "ConfigMap"), resource("services", "Service"),
                        resource("serviceaccounts", "ServiceAccount"),
                        resource("persistentvolumeclaims", "PersistentVolumeClaim"), resource("secrets", "Secret"))
                .build());
        serve(server, "/apis/policy/v1", new APIResourceListBuilder().withGroupVersion("policy/v1")
                .addToResources(resource("poddisruptionbudgets", "PodDisruptionBudget")).build());
        serve(server, "/apis/apps/v1", new APIResourceListBuilder()
                .withGroupVersion("apps/v1").addToResources(resource("deployments", "Deployment")).build());
        serve(server, "/apis/rbac.authorization.k8s.io/v1", new APIResourceListBuilder()
                .withGroupVersion("rbac.authorization.k8s.io/v1")
                .addToResources(resource("roles", "Role"), resource("rolebindings", "RoleBinding"),
                        clusterResource("clusterroles", "ClusterRole"),
                        clusterResource("clusterrolebindings", "ClusterRoleBinding")).build());
    }

    private static void serveCustomResources(KubernetesMockServer server) {
        for (String groupVersion : List.of("kafka.strimzi.io/v1beta2", "flink.apache.org/v1beta1")) {
            APIResourceListBuilder list = new APIResourceListBuilder().withGroupVersion(groupVersion);
            for (CustomResourceKind kind : List.of(CustomResourceKind.KAFKA_TOPIC, CustomResourceKind.FLINK_DEPLOYMENT,
                    CustomResourceKind.FLINK_SESSION_JOB)) {
                if (kind.apiVersion().equals(groupVersion)) {
                    list.addToResources(resource(kind.plural(), kind.kind()));
                }
            }
            serve(server, "/apis/" + groupVersion, list.build());
        }
    }

    /** A kubeconfig (text) whose only context talks to {@code server} in namespace {@code iff}. */
    public static String kubeconfig(KubernetesMockServer server) {
        return """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s"}}]
                users: [{name: mock, user: {token: test}}]
                contexts: [{name: mock, context: {cluster: mock, user: mock, namespace: iff}}]
                current-context: mock
                """.formatted(server.url("/").replaceAll("/$", ""));
    }

    /** kubectl adds {@code ?timeout=32s} to discovery requests; the mock matches paths with their query. */
    private static void serve(KubernetesMockServer server, String path, Object body) {
        for (String query : List.of("", "?timeout=32s")) {
            server.expect().get().withPath(path + query).andReturn(200, body).always();
        }
    }

    private static io.fabric8.kubernetes.api.model.APIResource clusterResource(String plural, String kind) {
        return new APIResourceBuilder().withName(plural).withKind(kind).withNamespaced(false)
                .withVerbs("get", "list", "create", "update", "patch", "delete").build();
    }

    private static io.fabric8.kubernetes.api.model.APIResource resource(String plural, String kind) {
        return new APIResourceBuilder().withName(plural).withKind(kind).withNamespaced(true)
                .withVerbs("get", "list", "create", "update", "patch", "delete").build();
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
