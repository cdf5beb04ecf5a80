package io.flinkjobrunner.service.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.flinkjobrunner.service.deploy.kubernetes.RealApiServer;
import io.flinkjobrunner.service.deploy.kubernetes.RealApiServerTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * k8s-deployment.yaml and the Helm chart's renderings applied to a real API server: every object passes the real core
 * schemas and admission, with strict field validation (an unknown or duplicated field is an error, not the default
 * warning).
 */
@RealApiServerTest
class ServiceManifestsOnApiServerTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper JSON = new ObjectMapper();

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> renderings() throws Exception {
        return ServiceManifestsTest.renderings();
    }

    /** Server-side dry-run create of every object (full validation and admission, nothing stored). */
    private static List<String> dryRunCreate(RealApiServer server, String yaml) throws Exception {
        List<String> accepted = new ArrayList<>();
        for (JsonNode document : ServiceManifests.documents(yaml)) {
            HasMetadata object = SERIALIZATION.convertValue(document, HasMetadata.class);
            if (object.getMetadata().getNamespace() != null) {
                server.ensureNamespace(object.getMetadata().getNamespace());
            }
            HasMetadata answer = server.admin().resource(object).dryRun().fieldValidation(Validation.STRICT).create();
            accepted.add(answer.getKind() + "/" + answer.getMetadata().getName());
        }
        return accepted;
    }

    private static List<String> kindsAndNames(String yaml) throws Exception {
        return ServiceManifests.documents(yaml).stream()
                .map(d -> d.path("kind").asText() + "/" + d.at("/metadata/name").asText()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void everyObjectIsAcceptedByTheRealApiServer(String name, String yaml, RealApiServer server) throws Exception {
        assertEquals(kindsAndNames(yaml), dryRunCreate(server, yaml));
    }

    @Test
    void thePlainManifestsAndTheDefaultChartAreCreatedAndReadBackUnchanged(RealApiServer server) throws Exception {
        KubernetesClient admin = server.admin();
        for (String yaml : List.of(ServiceManifests.plainManifests(), ServiceManifests.helmTemplate(Map.of()))) {
            // Both renderings name their objects alike (the ClusterRole of the CRD read is cluster-scoped): each
            // rendering's objects are removed before the next one is created.
            List<HasMetadata> created = new ArrayList<>();
            for (JsonNode document : ServiceManifests.documents(yaml)) {
                HasMetadata object = SERIALIZATION.convertValue(document, HasMetadata.class);
                if (object.getMetadata().getNamespace() != null) {
                    server.ensureNamespace(object.getMetadata().getNamespace());
                }
                created.add(admin.resource(object).fieldValidation(Validation.STRICT).create());
                HasMetadata stored = admin.resource(object).get();
                assertNotNull(stored, object.getKind() + "/" + object.getMetadata().getName());
                // The server adds defaults (and status), but keeps every rendered value as rendered.
                List<String> changed = new ArrayList<>();
                keeps("", JSON.valueToTree(document), JSON.valueToTree(SERIALIZATION.convertValue(stored, Map.class)),
                        changed);
                assertEquals(List.of(), changed, object.getKind() + "/" + object.getMetadata().getName());
            }
            created.forEach(object -> admin.resource(object).delete());
            created.forEach(object -> admin.resource(object).waitUntilCondition(Objects::isNull, 60,
                    TimeUnit.SECONDS));
        }
    }

    /** Collects the paths under which {@code stored} lacks or changed a value of {@code rendered}. */
    private static void keeps(String path, JsonNode rendered, JsonNode stored, List<String> changed) {
        if (rendered.isObject()) {
            rendered.fields().forEachRemaining(field -> keeps(path + "/" + field.getKey(), field.getValue(),
                    stored.path(field.getKey()), changed));
        } else if (rendered.isArray()) {
            if (!stored.isArray() || stored.size() != rendered.size()) {
                changed.add(path + ": " + rendered + " stored as " + stored);
                return;
            }
            for (int i = 0; i < rendered.size(); i++) {
                keeps(path + "/" + i, rendered.get(i), stored.get(i), changed);
            }
        } else if (!rendered.asText().equals(stored.asText()) || stored.isMissingNode()) {
            // Compared as text: the server writes numbers and quantities in its own notation of the same value.
            changed.add(path + ": " + rendered + " stored as " + stored);
        }
    }

    @Test
    void aDeploymentWithAMisspeltOrMistypedFieldIsRefused(RealApiServer server) throws Exception {
        JsonNode rendered = ServiceManifests.only(ServiceManifests.documents(ServiceManifests.plainManifests()),
                "Deployment");
        server.ensureNamespace("iff");

        ObjectNode misspelt = rendered.deepCopy();
        ObjectNode container = (ObjectNode) misspelt.at("/spec/template/spec/containers/0");
        container.set("imagePullPolicyy", container.remove("imagePullPolicy"));
        KubernetesClientException unknown = assertThrows(KubernetesClientException.class, () -> server.admin()
                .resource(SERIALIZATION.convertValue(misspelt, Deployment.class)).dryRun()
                .fieldValidation(Validation.STRICT).create());
        assertTrue(unknown.getMessage().contains("imagePullPolicyy"), unknown.getMessage());

        ObjectNode mistyped = rendered.deepCopy();
        ((ObjectNode) mistyped.at("/spec/template/spec/containers/0/ports/0")).put("containerPort", 0);
        KubernetesClientException invalid = assertThrows(KubernetesClientException.class, () -> server.admin()
                .resource(SERIALIZATION.convertValue(mistyped, Deployment.class)).dryRun()
                .fieldValidation(Validation.STRICT).create());
        assertEquals(422, invalid.getCode(), invalid.getMessage());
        assertTrue(invalid.getMessage().contains("containerPort"), invalid.getMessage());
    }
}
