package io.flinkjobrunner.service.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Fko;
import io.flinkjobrunner.service.deploy.kubernetes.spec.CustomResourceKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Plays the Flink Kubernetes Operator of one release, through the Kubernetes API only (it reads specs, patches
 * metadata and writes status through the status subresource), as the real one does at its release tags:
 * <ul>
 *   <li>adds its finalizer to a FlinkDeployment it manages, and removes it once a deleted one is torn down;</li>
 *   <li>validates the spec with the release's {@code DefaultValidator} rules; a rejected spec (when no webhook refused
 *   it before) gets {@code status.error} (JSON naming a ValidationException) and {@code lifecycleState: FAILED}, while
 *   {@code observedGeneration} stays unset for a new resource and at the old generation for an update;</li>
 *   <li>otherwise DEPLOYED then STABLE with the job RUNNING, or FAILED with an error, or held, or ignored (to hit
 *   deadlines), as the test sets; a spec with {@code job.state: suspended} becomes SUSPENDED.</li>
 * </ul>
 */
public final class TestingFlinkOperator implements AutoCloseable {

    /** How the double reacts to a valid Flink resource. */
    public enum Behaviour { SUCCEED, FAIL, IGNORE, HOLD_DEPLOYED }

    /** The error a FAIL behaviour reports, as the operator writes it (JSON with a message). */
    public static final String ERROR = "{\"type\":\"org.apache.flink.kubernetes.operator.exception."
            + "ReconciliationException\",\"message\":\"Could not find any factory for identifier 'kafka'\"}";

    private final KubernetesClient client;
    private final String namespace;
    private final Fko release;
    private final List<Watch> watches = new ArrayList<>();
    // Status updates run on one thread, in event order, like an operator's reconcile loop for one resource.
    private final ExecutorService reconciler = Executors.newSingleThreadExecutor();
    private volatile Behaviour behaviour = Behaviour.SUCCEED;
    private volatile boolean holdFinalizers;

    public TestingFlinkOperator(KubernetesClient client, String namespace, Fko release) {
        this.client = client;
        this.namespace = namespace;
        this.release = release;
        watches.add(client.genericKubernetesResources(KubernetesDeployer.context(CustomResourceKind.FLINK_DEPLOYMENT))
                .inNamespace(namespace).watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, GenericKubernetesResource resource) {
                        if (action != Action.DELETED) {
                            reconciler.execute(() -> reconcile(resource.getMetadata().getName()));
                        }
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                        // The test ends the watch.
                    }
                }));
    }

    /** Sets how the next reconciliations of valid specs behave. */
    public void behave(Behaviour next) {
        behaviour = next;
    }

    /**
     * Keeps the finalizer on deleted FlinkDeployments until {@link #releaseFinalizers()}: the real operator removes it
     * only once it has torn the Flink cluster down, which takes a while.
     */
    public void holdFinalizers() {
        holdFinalizers = true;
    }

    /** Tears down every deleted FlinkDeployment held by {@link #holdFinalizers()}: its finalizer goes. */
    public void releaseFinalizers() {
        holdFinalizers = false;
        client.genericKubernetesResources(KubernetesDeployer.context(CustomResourceKind.FLINK_DEPLOYMENT))
                .inNamespace(namespace).list().getItems().stream()
                .filter(r -> r.getMetadata().getDeletionTimestamp() != null)
                .forEach(r -> reconciler.execute(() -> reconcile(r.getMetadata().getName())));
    }

    private io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource> resource(String name) {
        return client.genericKubernetesResources(KubernetesDeployer.context(CustomResourceKind.FLINK_DEPLOYMENT))
                .inNamespace(namespace).withName(name);
    }

    private void reconcile(String name) {
        GenericKubernetesResource current = resource(name).get();
        if (current == null) {
            return;
        }
        List<String> finalizers = current.getMetadata().getFinalizers();
        if (current.getMetadata().getDeletionTimestamp() != null) {
            if (finalizers.contains(Fko.FINALIZER) && !holdFinalizers) {
                List<String> rest = new ArrayList<>(finalizers);
                rest.remove(Fko.FINALIZER);
                patchFinalizers(name, rest);
            }
            return;
        }
        if (!finalizers.contains(Fko.FINALIZER)) {
            List<String> all = new ArrayList<>(finalizers);
            all.add(Fko.FINALIZER);
            patchFinalizers(name, all);
            return; // the metadata change is a new event, reconciled next
        }
        long generation = current.getMetadata().getGeneration();
        Map<?, ?> status = (Map<?, ?>) current.getAdditionalProperties().get("status");
        Long observed = status != null && status.get("observedGeneration") instanceof Number n ? n.longValue() : null;
        String lifecycle = status == null ? null : (String) status.get("lifecycleState");
        Map<?, ?> spec = (Map<?, ?>) current.getAdditionalProperties().get("spec");
        List<String> invalid = release.validate(spec);
        if (!invalid.isEmpty()) {
            String error = "{\"type\":\"org.apache.flink.kubernetes.operator.exception.ValidationException\","
                    + "\"message\":\"" + invalid.get(0).replace("\"", "\\\"") + "\",\"additionalMetadata\":{},"
                    + "\"throwableList\":[]}";
            Map<String, Object> rejected = status == null ? new LinkedHashMap<>() : new LinkedHashMap<>(
                    castMap(status));
            if (!error.equals(rejected.get("error")) || !"FAILED".equals(rejected.get("lifecycleState"))) {
                // observedGeneration is left as it is: unset for a new resource, the old one for an update
                rejected.put("error", error);
                rejected.put("lifecycleState", "FAILED");
                setStatus(current, rejected);
            }
            return;
        }
        boolean settled = observed != null && observed == generation
                && List.of("STABLE", "FAILED", "SUSPENDED").contains(lifecycle);
        if (settled) {
            return;
        }
        Map<?, ?> job = (Map<?, ?>) spec.get("job");
        if ("suspended".equals(job.get("state"))) {
            setStatus(current, flinkStatus(generation, "SUSPENDED", "FINISHED", null));
            return;
        }
        boolean sameGeneration = observed != null && observed == generation;
        switch (behaviour) {
            case SUCCEED -> setStatus(current, sameGeneration && "DEPLOYED".equals(lifecycle)
                    ? flinkStatus(generation, "STABLE", "RUNNING", null)
                    : flinkStatus(generation, "DEPLOYED", "RECONCILING", null));
            case FAIL -> setStatus(current, flinkStatus(generation, "FAILED", "FAILED", ERROR));
            case HOLD_DEPLOYED -> {
                if (!sameGeneration) {
                    setStatus(current, flinkStatus(generation, "DEPLOYED", "RUNNING", null));
                }
            }
            case IGNORE -> {
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private void patchFinalizers(String name, List<String> finalizers) {
        StringBuilder list = new StringBuilder("[");
        for (String finalizer : finalizers) {
            list.append(list.length() > 1 ? "," : "").append('"').append(finalizer).append('"');
        }
        try {
            resource(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"metadata\":{\"finalizers\":" + list.append(']') + "}}");
        } catch (KubernetesClientException gone) {
            // Deleted meanwhile.
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
        try {
            client.genericKubernetesResources(KubernetesDeployer.context(CustomResourceKind.FLINK_DEPLOYMENT))
                    .inNamespace(namespace).resource(current).updateStatus();
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
