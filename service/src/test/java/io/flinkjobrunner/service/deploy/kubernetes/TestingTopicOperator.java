package io.flinkjobrunner.service.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.flinkjobrunner.engine.LocalEngine;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Strimzi;
import io.flinkjobrunner.service.deploy.kubernetes.spec.CustomResourceKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Plays Strimzi's topic operator of one release, through the Kubernetes API only: it watches the KafkaTopics of one
 * namespace in every version the release serves, creates each topic on the given Kafka with the KafkaTopic's config
 * (as the real one does; the broker creates no topic on demand), then writes {@code Ready=True} with the observed
 * generation through the status subresource.
 */
public final class TestingTopicOperator implements AutoCloseable {

    private final KubernetesClient client;
    private final String namespace;
    private final LocalEngine kafka;
    private final List<Watch> watches = new ArrayList<>();
    private final ExecutorService reconciler = Executors.newSingleThreadExecutor();

    /**
     * @param kafka the broker standing in for the cluster's Kafka; null: no Kafka
     */
    public TestingTopicOperator(KubernetesClient client, String namespace, Strimzi release, LocalEngine kafka) {
        this.client = client;
        this.namespace = namespace;
        this.kafka = kafka;
        for (String version : release.servedVersions()) {
            if (!CustomResourceKind.KAFKA_TOPICS.stream().anyMatch(k -> k.version().equals(version))) {
                continue;
            }
            CustomResourceKind kind = CustomResourceKind.kafkaTopic(version);
            try {
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
            } catch (KubernetesClientException notServedHere) {
                // A version the release serves but the server does not list for watching: nothing to reconcile.
            }
        }
    }

    private void reconcile(CustomResourceKind kind, String name) {
        var resource = client.genericKubernetesResources(KubernetesDeployer.context(kind)).inNamespace(namespace)
                .withName(name);
        GenericKubernetesResource current = resource.get();
        if (current == null || current.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        long generation = current.getMetadata().getGeneration();
        Map<?, ?> status = (Map<?, ?>) current.getAdditionalProperties().get("status");
        long observed = status != null && status.get("observedGeneration") instanceof Number n ? n.longValue() : -1;
        if (observed == generation) {
            return;
        }
        Map<?, ?> spec = (Map<?, ?>) current.getAdditionalProperties().get("spec");
        String topic = spec != null && spec.get("topicName") instanceof String t ? t : name;
        if (kafka != null) {
            Map<String, String> config = new LinkedHashMap<>();
            if (spec != null && spec.get("config") instanceof Map<?, ?> c) {
                c.forEach((k, v) -> config.put(k.toString(), v.toString()));
            }
            kafka.ensureTopics(Map.of(topic, config));
        }
        current.setAdditionalProperty("status", Map.of("observedGeneration", generation, "topicName", topic,
                "conditions", List.of(Map.of("type", "Ready", "status", "True"))));
        try {
            client.genericKubernetesResources(KubernetesDeployer.context(kind)).inNamespace(namespace)
                    .resource(current).updateStatus();
        } catch (KubernetesClientException conflict) {
            // A newer version arrived meanwhile; its own event reconciles it.
        }
    }

    @Override
    public void close() {
        watches.forEach(Watch::close);
        reconciler.shutdownNow();
    }
}
