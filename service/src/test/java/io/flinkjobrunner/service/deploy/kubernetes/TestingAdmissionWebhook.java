package io.flinkjobrunner.service.deploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Fko;
import io.flinkjobrunner.service.deploy.kubernetes.spec.CustomResourceKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The Flink operator's validating admission webhook of one release, called by the real API server: an HTTPS server on
 * loopback (a self-signed certificate for 127.0.0.1, handed to the API server as the webhook's {@code caBundle})
 * answering {@code AdmissionReview}s with the release's {@code DefaultValidator} rules, registered as a
 * ValidatingWebhookConfiguration shaped as the FKO chart's (CREATE and UPDATE of the {@code flink.apache.org}
 * resources, {@code sideEffects: None}, {@code failurePolicy: Fail}) but limited to one namespace, so the tests of
 * other namespaces run without it.
 *
 * <p>A denial carries the validator's message with code 400, as the operator's webhook (JOSDK's admission handler)
 * answers; the API server turns it into {@code admission webhook "validationwebhook.flink.apache.org" denied the
 * request: <message>}. Objects being deleted are not validated (the operator must be able to remove its finalizer).
 */
public final class TestingAdmissionWebhook implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient admin;
    private final Fko release;
    private final HttpsServer server;
    private final String configuration;
    /** Every admission request the API server sent: {@code operation kind/name}, and the answer. */
    private final List<String> reviews = new CopyOnWriteArrayList<>();

    private TestingAdmissionWebhook(KubernetesClient admin, String namespace, Fko release) throws IOException,
            GeneralSecurityException, OperatorCreationException {
        this.admin = admin;
        this.release = release;
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair key = generator.generateKeyPair();
        X509Certificate certificate = selfSigned(key);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "webhook".toCharArray();
        store.setKeyEntry("webhook", key.getPrivate(), password, new Certificate[] {certificate});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/validate", exchange -> {
            byte[] answer;
            try (InputStream in = exchange.getRequestBody()) {
                answer = review(JSON.readTree(in)).toString().getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
        configuration = "fko-" + release.release().replace('.', '-') + "-webhook-" + namespace;
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        ValidatingWebhookConfiguration webhook = new ValidatingWebhookConfigurationBuilder()
                .withNewMetadata().withName(configuration).endMetadata()
                .addNewWebhook()
                .withName(Fko.WEBHOOK)
                .withAdmissionReviewVersions("v1")
                .withSideEffects("None")
                .withFailurePolicy("Fail")
                .withTimeoutSeconds(10)
                .withNewClientConfig()
                .withUrl("https://127.0.0.1:" + server.getAddress().getPort() + "/validate")
                .withCaBundle(Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)))
                .endClientConfig()
                .withNewNamespaceSelector().addToMatchLabels("kubernetes.io/metadata.name", namespace)
                .endNamespaceSelector()
                .addNewRule().withApiGroups(CustomResourceKind.FLINK_DEPLOYMENT.group()).withApiVersions("*")
                .withOperations("CREATE", "UPDATE").withResources("*").withScope("Namespaced").endRule()
                .endWebhook()
                .build();
        admin.admissionRegistration().v1().validatingWebhookConfigurations().resource(webhook).create();
    }

    /**
     * Starts the webhook of {@code release} and registers it for {@code namespace}; returns once the API server calls
     * it (it picks registrations up asynchronously).
     */
    public static TestingAdmissionWebhook register(KubernetesClient admin, String namespace, Fko release) {
        TestingAdmissionWebhook webhook;
        try {
            webhook = new TestingAdmissionWebhook(admin, namespace, release);
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot start the admission webhook", e);
        }
        // A server-side dry-run calls webhooks without side effects, so the probe leaves nothing behind.
        var probe = new GenericKubernetesResourceBuilder()
                .withApiVersion(CustomResourceKind.FLINK_DEPLOYMENT.apiVersion())
                .withKind(CustomResourceKind.FLINK_DEPLOYMENT.kind())
                .withNewMetadata().withName("webhook-probe").withNamespace(namespace).endMetadata()
                .addToAdditionalProperties("spec", Map.of("job", Map.of("upgradeMode", "savepoint")))
                .build();
        RealApiServer.await("the API server calls the webhook " + webhook.configuration, () -> {
            try {
                admin.genericKubernetesResources(KubernetesDeployer.context(CustomResourceKind.FLINK_DEPLOYMENT))
                        .inNamespace(namespace).resource(probe).dryRun().create();
                return false;
            } catch (KubernetesClientException e) {
                return e.getCode() == 400 && e.getMessage().contains(Fko.WEBHOOK);
            }
        });
        webhook.reviews.clear();
        return webhook;
    }

    /** What the API server asked since registration: {@code OPERATION Kind/name -> allowed|denied: message}. */
    public List<String> reviews() {
        return List.copyOf(reviews);
    }

    private ObjectNode review(JsonNode review) {
        JsonNode request = review.path("request");
        JsonNode object = request.path("object");
        String operation = request.path("operation").asText();
        List<String> errors = List.of();
        if (CustomResourceKind.FLINK_DEPLOYMENT.kind().equals(request.path("kind").path("kind").asText())
                && object.path("metadata").path("deletionTimestamp").isMissingNode()
                && ("CREATE".equals(operation) || "UPDATE".equals(operation))) {
            errors = release.validate(JSON.convertValue(object.path("spec"), Map.class));
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("apiVersion", "admission.k8s.io/v1");
        answer.put("kind", "AdmissionReview");
        ObjectNode response = answer.putObject("response");
        response.put("uid", request.path("uid").asText());
        response.put("allowed", errors.isEmpty());
        if (!errors.isEmpty()) {
            ObjectNode status = response.putObject("status");
            status.put("code", 400);
            status.put("message", errors.get(0));
        }
        reviews.add(operation + " " + request.path("kind").path("kind").asText() + "/" + request.path("name").asText()
                + " -> " + (errors.isEmpty() ? "allowed" : "denied: " + errors.get(0)));
        return answer;
    }

    private static X509Certificate selfSigned(KeyPair key) throws OperatorCreationException,
            GeneralSecurityException, IOException {
        X500Name name = new X500Name("CN=fko-webhook.test");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now
                .toEpochMilli()), Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                name, key.getPublic());
        // The API server dials https://127.0.0.1 and trusts exactly this certificate (the caBundle): it is its own CA.
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        return new JcaX509CertificateConverter().getCertificate(builder.build(
                new JcaContentSignerBuilder("SHA256WithRSA").build(key.getPrivate())));
    }

    @Override
    public void close() {
        admin.admissionRegistration().v1().validatingWebhookConfigurations().withName(configuration).delete();
        server.stop(0);
    }
}
