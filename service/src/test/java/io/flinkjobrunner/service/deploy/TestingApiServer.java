package io.flinkjobrunner.service.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.flinkjobrunner.service.deploy.OperatorRelease.Fko;
import io.flinkjobrunner.service.deploy.OperatorRelease.Strimzi;
import io.flinkjobrunner.service.deploy.spec.CustomResourceKind;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fabric8 CRUD mock made to answer as a real API server with the operators of given releases installed, where the
 * mock alone would not: a custom-resource version no installed CRD serves is a 404 (the mock stores anything at any
 * path); a FlinkDeployment whose {@code flinkVersion} is outside the installed CRD's enum is refused with 422; a JSON
 * merge patch follows RFC 7386 ({@code null} removes a key; the mock would store the null); and, when the FKO chart's
 * validating webhook is installed, a FlinkDeployment the operator's validator rejects is denied with 400 at create and
 * update. Everything else is the CRUD mock.
 *
 * <p>The behaviour encoded here is the real server's (and the FKO webhook's); the real API server harness runs the same
 * tests against the real thing.
 */
public final class TestingApiServer implements AutoCloseable {

    private static final ObjectMapper JSON = Serialization.jsonMapper();
    private static final Pattern RESOURCE = Pattern.compile(
            "/apis/(?<group>[^/?]+)/(?<version>[^/?]+)(/namespaces/(?<ns>[^/?]+))?(/(?<plural>[^/?]+)"
                    + "(/(?<name>[^/?]+)(/(?<sub>[^/?]+))?)?)?/?(\\?.*)?");

    private final Fko fko;
    private final Strimzi strimzi;
    private final boolean webhook;
    private final KubernetesMockServer server;
    private final NamespacedKubernetesClient client;

    private TestingApiServer(Fko fko, Strimzi strimzi, boolean webhook, int port) {
        this.fko = fko;
        this.strimzi = strimzi;
        this.webhook = webhook;
        Map<io.fabric8.mockwebserver.ServerRequest, java.util.Queue<io.fabric8.mockwebserver.ServerResponse>> responses =
                new HashMap<>();
        server = new KubernetesMockServer(new Context(JSON), new MockWebServer(), responses,
                new Admission(new KubernetesMixedDispatcher(responses)), false);
        if (port == 0) {
            server.init();
        } else {
            server.init(java.net.InetAddress.getLoopbackAddress(), port);
        }
        client = server.createClient();
    }

    /**
     * Starts a server with the CRDs of {@code fko} and {@code strimzi}, namespace {@code namespace} with the Flink
     * service account {@code flink} (the FKO chart creates it in its watched namespaces).
     *
     * @param webhook whether FKO's validating admission webhook is installed (the chart's default)
     */
    public static TestingApiServer start(Fko fko, Strimzi strimzi, boolean webhook, String namespace) {
        return start(fko, strimzi, webhook, namespace, 0);
    }

    /** {@link #start(Fko, Strimzi, boolean, String)} on a given loopback port (0: any free one). */
    public static TestingApiServer start(Fko fko, Strimzi strimzi, boolean webhook, String namespace, int port) {
        TestingApiServer api = new TestingApiServer(fko, strimzi, webhook, port);
        TestingCluster.installCrds(api.client, fko, strimzi);
        api.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                .build()).create();
        api.client.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("flink").endMetadata().build()).create();
        return api;
    }

    /** A client of this server. */
    public NamespacedKubernetesClient client() {
        return client;
    }

    /** The mock underneath (for expectations such as access reviews). */
    public KubernetesMockServer server() {
        return server;
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }

    /** The real server's answers in front of the CRUD mock. */
    private final class Admission extends io.fabric8.mockwebserver.http.Dispatcher {

        private final KubernetesMixedDispatcher crud;

        Admission(KubernetesMixedDispatcher crud) {
            this.crud = crud;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            Matcher path = RESOURCE.matcher(request.getPath());
            if (!path.matches() || !isOperatorGroup(path.group("group"))) {
                return crud.dispatch(request);
            }
            if (!served(path.group("group"), path.group("version"))) {
                return status(404, "NotFound", "the server could not find the requested resource");
            }
            HttpMethod method = request.method();
            boolean write = method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
            if (!write || path.group("plural") == null) {
                return crud.dispatch(request);
            }
            String body = request.getBody().readUtf8();
            JsonNode result;
            try {
                result = method == HttpMethod.PATCH ? patched(request, path, body) : JSON.readTree(body);
            } catch (java.io.IOException e) {
                return status(400, "BadRequest", e.getMessage());
            }
            if (result == null) {
                return status(404, "NotFound", path.group("plural") + " \"" + path.group("name") + "\" not found");
            }
            boolean statusWrite = "status".equals(path.group("sub"));
            if ("flinkdeployments".equals(path.group("plural")) && !statusWrite) {
                MockResponse refusal = admit(result);
                if (refusal != null) {
                    return refusal;
                }
            }
            String forwardPath = request.getPath();
            HttpMethod forwardMethod = method;
            if (method == HttpMethod.PATCH) {
                // The patch is applied here (RFC 7386); the store gets the result as a replacement.
                ((ObjectNode) result.path("metadata")).remove("resourceVersion");
                forwardMethod = HttpMethod.PUT;
                int query = forwardPath.indexOf('?');
                forwardPath = query < 0 ? forwardPath : forwardPath.substring(0, query);
            }
            Headers headers = Headers.builder().add("Content-Type", "application/json").build();
            return crud.dispatch(new RecordedRequest(request.getHttpVersion(), forwardMethod, forwardPath, headers,
                    new Buffer().writeUtf8(result.toString())));
        }

        /** The object a merge patch (RFC 7386) or JSON patch results in, or null when it does not exist. */
        private JsonNode patched(RecordedRequest request, Matcher path, String body) throws java.io.IOException {
            String objectPath = request.getPath().replaceAll("\\?.*", "");
            if ("status".equals(path.group("sub"))) {
                objectPath = objectPath.substring(0, objectPath.length() - "/status".length());
            }
            MockResponse current = crud.dispatch(new RecordedRequest(request.getHttpVersion(), HttpMethod.GET,
                    objectPath, Headers.builder().build(), new Buffer()));
            if (current.code() != 200) {
                return null;
            }
            JsonNode live = JSON.readTree(current.getBody().readUtf8());
            String type = request.getHeader("Content-Type");
            if (type != null && type.startsWith("application/json-patch+json")) {
                return io.fabric8.zjsonpatch.JsonPatch.apply(JSON.readTree(body), live);
            }
            return merge(live, JSON.readTree(body));
        }

        private MockResponse admit(JsonNode object) {
            String name = object.path("metadata").path("name").asText();
            JsonNode version = object.path("spec").path("flinkVersion");
            if (version.isTextual() && !fko.flinkVersions().contains(version.asText())) {
                return status(422, "Invalid", "FlinkDeployment.flink.apache.org \"" + name + "\" is invalid: "
                        + "spec.flinkVersion: Unsupported value: " + version + ": supported values: \""
                        + String.join("\", \"", fko.flinkVersions()) + "\"");
            }
            if (webhook && object.path("metadata").path("deletionTimestamp").isMissingNode()) {
                List<String> errors = fko.validate(JSON.convertValue(object.path("spec"), Map.class));
                if (!errors.isEmpty()) {
                    return status(400, "BadRequest", "admission webhook \"" + Fko.WEBHOOK + "\" denied the request: "
                            + errors.get(0));
                }
            }
            return null;
        }

        private boolean isOperatorGroup(String group) {
            return CustomResourceKind.STRIMZI_GROUP.equals(group)
                    || CustomResourceKind.FLINK_DEPLOYMENT.group().equals(group);
        }

        private boolean served(String group, String version) {
            return CustomResourceKind.STRIMZI_GROUP.equals(group) ? strimzi.servedVersions().contains(version)
                    : CustomResourceKind.FLINK_DEPLOYMENT.version().equals(version);
        }
    }

    /** RFC 7386: objects merge key by key, null removes, anything else replaces. */
    static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
                : JSON.createObjectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), merge(result.get(field.getKey()), field.getValue()));
            }
        }
        return result;
    }

    private static MockResponse status(int code, String reason, String message) {
        Status status = new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason)
                .withMessage(message).build();
        return new MockResponse().setResponseCode(code).setBody(Serialization.asJson(status));
    }
}
