package io.flinkjobrunner.service.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.flinkjobrunner.engine.LocalEngine;
import io.flinkjobrunner.service.deploy.spec.CustomResourceKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Plays the Flink Kubernetes Operator and Strimzi's topic operator on the fabric8 mock (which runs no controllers):
 * watches the custom resources and moves their status as the operators would. KafkaTopics become Ready (their topic
 * created on the given Kafka first); a Flink resource goes DEPLOYED then STABLE with the job RUNNING, or FAILED with
 * an error, or is ignored (to hit deadlines), as configured per resource name; a spec with {@code job.state:
 * suspended} becomes SUSPENDED.
 */
public final class TestingFlinkOperator implements AutoCloseable {

    /** How the double reacts to a Flink resource. */
    public enum Behaviour { SUCCEED, FAIL, IGNORE, HOLD_DEPLOYED }

    /** The error a FAIL behaviour reports, as the operator writes it (JSON with a message). */
    public static final String ERROR = "{\"type\":\"org.apache.flink.kubernetes.operator.exception."
            + "ReconciliationException\",\"message\":\"Could not find any factory for identifier 'kafka'\"}";

    private final KubernetesClient client;
    private final String namespace;
    private final List<Watch> watches = new ArrayList<>();
    // Status updates run on one thread, in event order, like an operator's reconcile loop for one resource.
    private final ExecutorService reconciler = Executors.newSingleThreadExecutor();
    private volatile Behaviour behaviour = Behaviour.SUCCEED;
    private final LocalEngine kafka;

    public TestingFlinkOperator(KubernetesClient client, String namespace) {
        this(client, namespace, null);
    }

    /**
     * @param kafka the broker standing in for the cluster's Kafka: before a KafkaTopic becomes Ready its topic is
     *     created there with the KafkaTopic's config, as Strimzi's topic operator does (the broker creates no topic
     *     on demand); null: no Kafka
     */
    public TestingFlinkOperator(KubernetesClient client, String namespace, LocalEngine kafka) {
        this.client = client;
        this.namespace = namespace;
        this.kafka = kafka;
        for (CustomResourceKind kind : List.of(CustomResourceKind.KAFKA_TOPIC, CustomResourceKind.FLINK_DEPLOYMENT,
                CustomResourceKind.FLINK_SESSION_JOB)) {
            watches.add(client.genericKubernetesResources(KubernetesDeployer.context(kind)).inNamespace(namespace)
                    .watch(new Watcher<>() {
                        @Override
                        public void eventReceived(Action action, GenericKubernetesResource resource) {
                            if (action != Action.DELETED) {
                                reconciler.execute(() -> reconcile(kind, resource.getMetadata().getName()));
                            }
                        }

                        @Override
                        public void onClose(WatcherException cause) {
                            // The test ends the watch.
                        }
                    }));
        }
    }

    /** Sets how the next Flink reconciliations behave. */
    public void behave(Behaviour next) {
        behaviour = next;
    }

    private void reconcile(CustomResourceKind kind, String name) {
        var resource = client.genericKubernetesResources(KubernetesDeployer.context(kind)).inNamespace(namespace)
                .withName(name);
        GenericKubernetesResource current = resource.get();
        if (current == null) {
            return;
        }
        long generation = current.getMetadata().getGeneration();
        Map<?, ?> status = (Map<?, ?>) current.getAdditionalProperties().get("status");
        long observed = status != null && status.get("observedGeneration") instanceof Number n ? n.longValue() : -1;
        String lifecycle = status == null ? null : (String) status.get("lifecycleState");
        if (kind == CustomResourceKind.KAFKA_TOPIC) {
            if (observed != generation) {
                Map<?, ?> spec = (Map<?, ?>) current.getAdditionalProperties().get("spec");
                String topic = spec != null && spec.get("topicName") instanceof String t ? t : name;
                if (kafka != null) {
                    Map<String, String> config = new LinkedHashMap<>();
                    if (spec != null && spec.get("config") instanceof Map<?, ?> c) {
                        c.forEach((k, v) -> config.put(k.toString(), v.toString()));
                    }
                    kafka.ensureTopics(Map.of(topic, config));
                }
                setStatus(current, Map.of("observedGeneration", generation, "topicName", topic,
                        "conditions", List.of(Map.of("type", "Ready", "status", "True"))));
            }
            return;
        }
        Map<?, ?> job = (Map<?, ?>) ((Map<?, ?>) current.getAdditionalProperties().get("spec")).get("job");
        boolean settled = observed == generation
                && List.of("STABLE", "FAILED", "SUSPENDED").contains(lifecycle);
        if (settled) {
            return;
        }
        if ("suspended".equals(job.get("state"))) {
            setStatus(current, flinkStatus(generation, "SUSPENDED", "FINISHED", null));
            return;
        }
        switch (behaviour) {
            case SUCCEED -> setStatus(current, observed == generation && "DEPLOYED".equals(lifecycle)
                    ? flinkStatus(generation, "STABLE", "RUNNING", null)
                    : flinkStatus(generation, "DEPLOYED", "RECONCILING", null));
            case FAIL -> setStatus(current, flinkStatus(generation, "FAILED", "FAILED", ERROR));
            case HOLD_DEPLOYED -> {
                if (observed != generation) {
                    setStatus(current, flinkStatus(generation, "DEPLOYED", "RUNNING", null));
                }
            }
            case IGNORE -> {
            }
        }
    }

    private static Map<String, Object> flinkStatus(long generation, String lifecycle, String jobState, String error) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("observedGeneration", generation);
        status.put("lifecycleState", lifecycle);
        status.put("jobStatus", Map.of("state", jobState));
        status.put("jobManagerDeploymentStatus", "READY");
        if (error != null) {
            status.put("error", error);
        }
        return status;
    }

    private void setStatus(GenericKubernetesResource current, Map<String, Object> status) {
        current.setAdditionalProperty("status", status);
        CustomResourceKind kind = CustomResourceKind.of(current.getApiVersion(), current.getKind());
        try {
            client.genericKubernetesResources(KubernetesDeployer.context(kind)).inNamespace(namespace)
                    .resource(current).updateStatus();
        } catch (RuntimeException conflict) {
            // A newer version arrived meanwhile; its own event reconciles it.
        }
    }

    @Override
    public void close() {
        watches.forEach(Watch::close);
        reconciler.shutdownNow();
    }
}
