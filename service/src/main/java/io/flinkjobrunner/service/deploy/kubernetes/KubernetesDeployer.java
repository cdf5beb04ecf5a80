package io.flinkjobrunner.service.deploy.kubernetes;

import io.flinkjobrunner.service.deploy.DeployFailedException;
import io.flinkjobrunner.service.deploy.DeployProgress;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.flinkjobrunner.service.deploy.DeployFailedException.Reason;
import io.flinkjobrunner.service.deploy.kubernetes.spec.CustomResourceKind;
import io.flinkjobrunner.service.deploy.kubernetes.spec.DeploymentLabels;
import io.flinkjobrunner.service.deploy.kubernetes.spec.DeploymentManifests;
import io.flinkjobrunner.service.deploy.kubernetes.spec.FlinkResourceStatus;
import io.flinkjobrunner.service.deploy.kubernetes.spec.FlinkResourceStatus.Verdict;
import io.flinkjobrunner.service.deploy.kubernetes.spec.ManifestRenderer;
import io.flinkjobrunner.service.deploy.kubernetes.spec.MergePatch;
import io.flinkjobrunner.service.state.OwnedResource;
import io.flinkjobrunner.service.state.OwnershipLostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Applies a deployment's manifests through the Kubernetes API and waits, by watching, until the operators report the
 * target state; undeploys what it created.
 *
 * <p>Defined states on failure and cancel:
 * <ul>
 *   <li>cancel before the first object is applied: nothing is applied;</li>
 *   <li>failure, deadline or cancel after that: every object this deploy created is deleted and every object it
 *   changed is restored to its previous content (the Flink resource to its previous spec, so the operator upgrades
 *   back to the previous SQL, which still exists because SQL ConfigMaps are content-addressed); objects that could
 *   not be restored are named in the {@link DeployFailedException}.</li>
 * </ul>
 * The inventory ConfigMap is written first as the union of the previous and the new objects, so a replica that dies
 * mid-deploy leaves a list that covers everything applied; it is narrowed to the new objects once the job is running.
 *
 * <p>Existing objects are changed by JSON merge patch (RFC 7386), never replaced: the sections this service owns
 * ({@code spec} of custom resources, {@code data} of ConfigMaps) become exactly the rendered ones (keys no longer
 * rendered are sent as {@code null}), its labels and annotations are set, and everything else stays: the operator's
 * finalizer, other controllers' labels and annotations, the status. KafkaTopics are written in the version the cluster
 * serves ({@link ClusterAccess#servedKafkaTopic()}); inventory entries of another KafkaTopic version name the same
 * objects.
 *
 * <p>Every create, update and delete is preceded by {@link DeployProgress#beforeChange()}: once the job's replica lost
 * the job, the deployer stops where it is, without rolling back (the replica that took the job over applies the same
 * manifests again; undoing would fight it).
 */
public final class KubernetesDeployer {

    private static final String SHARED_LABEL = ManifestRenderer.SHARED_LABEL;

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration REREAD = Duration.ofSeconds(2);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final Clock clock;
    private Optional<CustomResourceKind> servedTopics;

    public KubernetesDeployer(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** Runs between "topics ready" and "Flink applied" (publishing the semantic data); returns how to undo it. */
    @FunctionalInterface
    public interface TopicsReadyHook {

        /**
         * Does the work; the returned action undoes it on rollback.
         *
         * @param createdTopics Kafka topic names whose KafkaTopic this deploy created (empty topics, or topics
         *     that still hold the data of an earlier deployment Strimzi has not deleted yet)
         */
        Runnable run(Set<String> createdTopics) throws Exception;
    }

    /** What a successful deploy did. */
    public record DeployOutcome(List<OwnedResource> applied, List<OwnedResource> removed, FlinkResourceStatus status) {
    }

    /**
     * Deploys {@code manifests}: KafkaTopics (waits for Ready), {@code hook}, SQL ConfigMaps, the Flink resource
     * (waits for job RUNNING and resource STABLE), then removes objects of the previous version no longer needed.
     */
    public DeployOutcome deploy(DeploymentManifests manifests, TopicsReadyHook hook, Duration deadline,
            DeployProgress progress) throws DeployFailedException {
        String namespace = manifests.target().namespace();
        Instant until = clock.instant().plus(deadline);
        List<OwnedResource> previous = inventory(namespace, manifests.target().deployment());
        if (progress.cancelRequested()) {
            throw new DeployFailedException(Reason.CANCELLED, "cancelled before anything was applied", List.of());
        }
        List<Change> changes = new ArrayList<>();
        Runnable undoHook = null;
        try {
            TreeSet<OwnedResource> union = new TreeSet<>(previous);
            union.addAll(manifests.ownedResources());
            ConfigMap draftInventory = SERIALIZATION.clone(manifests.inventory());
            draftInventory.setData(Map.of(ManifestRenderer.INVENTORY_KEY, lines(union)));
            List<HasMetadata> all = new ArrayList<>();
            all.add(draftInventory);
            all.addAll(manifests.kafkaTopics());
            all.addAll(manifests.sqlConfigMaps());
            all.add(manifests.flinkResource());
            for (HasMetadata object : all) {
                dryRun(object);
            }
            progress.log("the API server accepts every object (server-side dry run of " + all.size() + ")");
            changes.add(apply(draftInventory, progress, until));
            Set<String> createdTopics = new TreeSet<>();
            for (GenericKubernetesResource topic : manifests.kafkaTopics()) {
                Change change = apply(topic, progress, until);
                changes.add(change);
                if (change.before() == null) {
                    createdTopics.add(String.valueOf(((Map<?, ?>) topic.getAdditionalProperties().get("spec"))
                            .get("topicName")));
                }
            }
            for (GenericKubernetesResource topic : manifests.kafkaTopics()) {
                await(CustomResourceKind.of(topic.getApiVersion(), topic.getKind()), namespace,
                        topic.getMetadata().getName(), KubernetesDeployer::topicVerdict, until, progress, null, false);
            }
            checkCancelled(progress);
            undoHook = hook.run(createdTopics);
            checkCancelled(progress);
            for (ConfigMap part : manifests.sqlConfigMaps()) {
                changes.add(apply(part, progress, until));
            }
            Change flink = apply(manifests.flinkResource(), progress, until);
            changes.add(flink);
            FlinkResourceStatus atChange = FlinkResourceStatus.of((GenericKubernetesResource) flink.after());
            GenericKubernetesResource running = await(manifests.flinkKind(), namespace,
                    manifests.flinkResource().getMetadata().getName(),
                    r -> FlinkResourceStatus.of(r).runningVerdict(atChange), until, progress, progress::status,
                    false);
            apply(manifests.inventory(), progress, until);
            List<OwnedResource> removed = removeObsolete(namespace, previous, manifests.ownedResources(), progress);
            return new DeployOutcome(manifests.ownedResources(), removed, FlinkResourceStatus.of(running));
        } catch (DeployFailedException e) {
            throw rollback(e.reason(), e.getMessage(), changes, undoHook, progress);
        } catch (OwnershipLostException e) {
            // another replica holds the job now and applies the same manifests: undoing would fight it
            throw e;
        } catch (KubernetesClientException e) {
            throw rollback(Reason.API_ERROR, "Kubernetes API error: " + e.getMessage(), changes, undoHook, progress);
        } catch (Exception e) {
            throw rollback(Reason.API_ERROR, e.getMessage(), changes, undoHook, progress);
        }
    }

    /**
     * Undeploys {@code deployment}: suspends the Flink job with a savepoint when {@code savepoint} and the resource's
     * upgrade mode is {@code savepoint} (any other upgrade mode takes no savepoint: the operator would reject a
     * savepoint suspend without a savepoint directory, and it cancels the job when the resource is deleted), then
     * deletes every object of its inventory and every object carrying its labels, except objects shared with the
     * platform, and waits until the operator has removed its finalizer from the Flink resource.
     */
    public List<OwnedResource> undeploy(String namespace, String deployment, boolean savepoint, Duration deadline,
            DeployProgress progress) throws DeployFailedException {
        Instant until = clock.instant().plus(deadline);
        TreeSet<OwnedResource> owned = new TreeSet<>(inventory(namespace, deployment));
        owned.addAll(labelled(namespace, deployment));
        if (owned.isEmpty()) {
            progress.log("nothing to undeploy: no objects of deployment '" + deployment + "' in " + namespace);
            return List.of();
        }
        for (OwnedResource flink : owned) {
            CustomResourceKind kind = kindOf(flink);
            if (savepoint && isFlink(kind)) {
                suspend(kind, namespace, flink.name(), until, progress);
            }
        }
        List<OwnedResource> deleted = new ArrayList<>();
        List<OwnedResource> ordered = new ArrayList<>(owned);
        // Flink resources first (they read the topics and ConfigMaps), the inventory last (it lists the rest).
        ordered.sort((a, b) -> Integer.compare(deleteRank(a, deployment), deleteRank(b, deployment)));
        for (OwnedResource object : ordered) {
            Optional<HasMetadata> current = get(namespace, object);
            if (current.isEmpty() || deleted.stream().anyMatch(d -> sameObject(d, object))) {
                continue;
            }
            if ("true".equals(labels(current.get()).get(SHARED_LABEL))) {
                progress.log("kept shared " + object + " (shared with the platform)");
                continue;
            }
            progress.beforeChange();
            delete(namespace, object);
            deleted.add(object);
            progress.log("deleted " + object);
            CustomResourceKind kind = kindOf(object);
            if (isFlink(kind)) {
                awaitGone(kind, namespace, object.name(), until, progress);
            }
        }
        return deleted;
    }

    /** The KafkaTopic kind the cluster serves ({@code v1} preferred), discovered once per deployer. */
    public Optional<CustomResourceKind> servedKafkaTopic() {
        if (servedTopics == null) {
            servedTopics = new ClusterAccess(client).servedKafkaTopic();
        }
        return servedTopics;
    }

    /** Names of the objects the inventory of {@code deployment} lists (empty when there is none). */
    public List<OwnedResource> inventory(String namespace, String deployment) {
        ConfigMap inventory = client.configMaps().inNamespace(namespace)
                .withName(ManifestRenderer.inventoryName(deployment)).get();
        return inventory == null ? List.of() : ManifestRenderer.parseInventory(inventory.getData());
    }

    private void suspend(CustomResourceKind kind, String namespace, String name, Instant until,
            DeployProgress progress) throws DeployFailedException {
        Resource<GenericKubernetesResource> resource = resource(kind, namespace, name);
        GenericKubernetesResource current = resource.get();
        if (current == null) {
            return;
        }
        Map<?, ?> job = current.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
                && spec.get("job") instanceof Map<?, ?> j ? j : Map.of();
        Object upgradeMode = job.get("upgradeMode");
        if (!"savepoint".equals(upgradeMode)) {
            progress.log(kind.kind() + "/" + name + " has upgrade mode " + upgradeMode + ": no savepoint is taken, "
                    + "the operator cancels the job when the resource is deleted");
            return;
        }
        GenericKubernetesResource changed = current;
        if (!"suspended".equals(job.get("state"))) {
            progress.log("suspending " + kind.kind() + "/" + name + " with a savepoint");
            progress.beforeChange();
            changed = resource.patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"spec\":{\"job\":{\"state\":\"suspended\"}}}");
        }
        FlinkResourceStatus atChange = FlinkResourceStatus.of(changed);
        await(kind, namespace, name, r -> FlinkResourceStatus.of(r).suspendedVerdict(atChange), until, progress,
                progress::status, false);
    }

    /** Waits until {@code name} is gone: the operator removes its finalizer once it has torn the cluster down. */
    private void awaitGone(CustomResourceKind kind, String namespace, String name, Instant until,
            DeployProgress progress) throws DeployFailedException {
        await(kind, namespace, name, r -> new Verdict.Pending("deleting: waiting for the operator to remove "
                + "its finalizer " + r.getMetadata().getFinalizers()), until, progress, null, true);
    }

    private List<OwnedResource> removeObsolete(String namespace, List<OwnedResource> previous,
            List<OwnedResource> current, DeployProgress progress) {
        List<OwnedResource> removed = new ArrayList<>();
        for (OwnedResource old : previous) {
            if (current.stream().anyMatch(c -> sameObject(c, old))) {
                continue;
            }
            Optional<HasMetadata> existing = get(namespace, old);
            if (existing.isPresent() && !"true".equals(labels(existing.get()).get(SHARED_LABEL))) {
                progress.beforeChange();
                delete(namespace, old);
                removed.add(old);
                progress.log("removed " + old + " of the previous version");
            }
        }
        return removed;
    }

    /**
     * One applied object, what it was before ({@code null}: it did not exist) and what the API server returned after
     * the change.
     */
    private record Change(String namespace, OwnedResource object, HasMetadata before, HasMetadata after) {
    }

    private DeployFailedException rollback(Reason reason, String message, List<Change> changes, Runnable undoHook,
            DeployProgress progress) {
        if (changes.isEmpty()) {
            return new DeployFailedException(reason, message + "; nothing was applied", List.of());
        }
        progress.log("deploy failed (" + message + "): rolling back " + changes.size() + " applied object(s)");
        List<OwnedResource> leftovers = new ArrayList<>();
        if (undoHook != null) {
            try {
                undoHook.run();
            } catch (OwnershipLostException e) {
                throw e;
            } catch (RuntimeException e) {
                progress.log("could not restore the previous semantic data: " + e.getMessage());
            }
        }
        List<Change> reversed = new ArrayList<>(changes);
        Collections.reverse(reversed);
        for (Change change : reversed) {
            progress.beforeChange();
            try {
                if (change.before() == null) {
                    delete(change.namespace(), change.object());
                    progress.log("rollback: deleted " + change.object());
                } else {
                    restore(change.before());
                    progress.log("rollback: restored " + change.object() + " to its previous content");
                }
            } catch (KubernetesClientException e) {
                leftovers.add(change.object());
                progress.log("rollback: could not restore " + change.object() + ": " + e.getMessage());
            }
        }
        String state = leftovers.isEmpty()
                ? "rolled back: the cluster holds the previous version again"
                : "rollback incomplete, left on the cluster: " + leftovers;
        return new DeployFailedException(reason, message + "; " + state, leftovers);
    }

    private Change apply(HasMetadata desired, DeployProgress progress, Instant until)
            throws DeployFailedException {
        String namespace = desired.getMetadata().getNamespace();
        OwnedResource id = new OwnedResource(desired.getApiVersion(), desired.getKind(),
                desired.getMetadata().getName());
        Optional<HasMetadata> before = get(namespace, id);
        if (before.isPresent() && before.get().getMetadata().getDeletionTimestamp() != null) {
            // A rollback or undeploy deleted it and its operator has not let it go yet: create it anew afterwards.
            CustomResourceKind kind = kindOf(id);
            if (isFlink(kind)) {
                awaitGone(kind, namespace, id.name(), until, progress);
                before = Optional.empty();
            }
        }
        progress.beforeChange();
        try {
            if (before.isEmpty()) {
                HasMetadata created = create(SERIALIZATION.clone(desired), false);
                progress.log("created " + id);
                return new Change(namespace, id, null, created);
            }
            HasMetadata patched = patch(before.get(), desired, false);
            progress.log("updated " + id);
            return new Change(namespace, id, before.get(), patched);
        } catch (KubernetesClientException e) {
            throw refused(id, e);
        }
    }

    /**
     * Creates or patches {@code desired} as a server-side dry run: the API server validates it as it would the real
     * change (schema, the installed CRD's enum, admission webhooks, which the Flink operator's declares free of side
     * effects) and stores nothing. An object being deleted is skipped: {@link #apply} waits until it is gone and
     * creates it anew.
     */
    private void dryRun(HasMetadata desired) throws DeployFailedException {
        OwnedResource id = new OwnedResource(desired.getApiVersion(), desired.getKind(),
                desired.getMetadata().getName());
        Optional<HasMetadata> live = get(desired.getMetadata().getNamespace(), id);
        if (live.isPresent() && live.get().getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        try {
            if (live.isEmpty()) {
                create(SERIALIZATION.clone(desired), true);
            } else {
                patch(live.get(), desired, true);
            }
        } catch (KubernetesClientException e) {
            throw refused(id, e);
        }
    }

    /**
     * A create or patch the API server refused: a denial by an admission webhook (the Flink operator's validates
     * FlinkDeployments) or a schema violation, with the server's own message.
     */
    private static DeployFailedException refused(OwnedResource id, KubernetesClientException e) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage() : e.getMessage();
        boolean rejected = e.getCode() == 400 || e.getCode() == 422;
        return new DeployFailedException(rejected && id.kind().startsWith("Flink") ? Reason.OPERATOR_ERROR
                : Reason.API_ERROR, id + " was refused by the API server (HTTP " + e.getCode() + "): " + message,
                List.of());
    }

    private void restore(HasMetadata before) {
        OwnedResource id = new OwnedResource(before.getApiVersion(), before.getKind(), before.getMetadata().getName());
        Optional<HasMetadata> current = get(before.getMetadata().getNamespace(), id);
        if (current.isEmpty()) {
            HasMetadata copy = SERIALIZATION.clone(before);
            copy.getMetadata().setResourceVersion(null);
            copy.getMetadata().setUid(null);
            copy.getMetadata().setCreationTimestamp(null);
            copy.getMetadata().setGeneration(null);
            copy.getMetadata().setManagedFields(null);
            copy.getMetadata().setDeletionTimestamp(null);
            if (copy instanceof GenericKubernetesResource custom) {
                custom.getAdditionalProperties().remove("status");
            }
            create(copy, false);
            return;
        }
        patch(current.get(), before, false);
    }

    private HasMetadata create(HasMetadata object, boolean dryRun) {
        if (object instanceof ConfigMap configMap) {
            return client.configMaps().resource(configMap).dryRun(dryRun).create();
        }
        return resource((GenericKubernetesResource) object).dryRun(dryRun).create();
    }

    /**
     * Merge-patches {@code live} into {@code desired}: its owned section ({@code data} or {@code spec}) exactly, its
     * labels and annotations added or overwritten, everything else left as it is ({@code dryRun}: validated by the
     * API server, not stored).
     */
    private HasMetadata patch(HasMetadata live, HasMetadata desired, boolean dryRun) {
        JsonNode liveTree = JSON.valueToTree(SERIALIZATION.convertValue(live, Map.class));
        JsonNode desiredTree = JSON.valueToTree(SERIALIZATION.convertValue(desired, Map.class));
        ObjectNode patch = JSON.createObjectNode();
        ObjectNode metadata = patch.putObject("metadata");
        for (String field : List.of("labels", "annotations")) {
            JsonNode wanted = desiredTree.path("metadata").path(field);
            if (wanted.isObject() && !wanted.isEmpty()) {
                metadata.set(field, wanted);
            }
        }
        String owned = desired instanceof ConfigMap ? "data" : "spec";
        patch.set(owned, MergePatch.diff(liveTree.get(owned), desiredTree.path(owned)));
        String body = patch.toString();
        String namespace = live.getMetadata().getNamespace();
        String name = live.getMetadata().getName();
        if (desired instanceof ConfigMap) {
            return client.configMaps().inNamespace(namespace).withName(name).dryRun(dryRun)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), body);
        }
        return resource(kindOf(new OwnedResource(desired.getApiVersion(), desired.getKind(), name)), namespace, name)
                .dryRun(dryRun).patch(PatchContext.of(PatchType.JSON_MERGE), body);
    }

    private Optional<HasMetadata> get(String namespace, OwnedResource id) {
        CustomResourceKind kind = kindOf(id);
        if (kind == null) {
            requireConfigMap(id);
            return Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(id.name()).get());
        }
        return Optional.ofNullable(resource(kind, namespace, id.name()).get());
    }

    private void delete(String namespace, OwnedResource id) {
        CustomResourceKind kind = kindOf(id);
        if (kind == null) {
            requireConfigMap(id);
            client.configMaps().inNamespace(namespace).withName(id.name()).delete();
        } else {
            resource(kind, namespace, id.name()).delete();
        }
    }

    /**
     * The kind to address {@code id} with: a KafkaTopic in the version the cluster serves now (an inventory written
     * before a Strimzi upgrade names another version of the same objects), anything else as recorded.
     */
    private CustomResourceKind kindOf(OwnedResource id) {
        CustomResourceKind kind = CustomResourceKind.of(id.apiVersion(), id.kind());
        if (kind != null && kind.sameKind(CustomResourceKind.KAFKA_TOPIC)) {
            return servedKafkaTopic().orElse(kind);
        }
        return kind;
    }

    private static boolean isFlink(CustomResourceKind kind) {
        return CustomResourceKind.FLINK_DEPLOYMENT.equals(kind) || CustomResourceKind.FLINK_SESSION_JOB.equals(kind);
    }

    /** Same object: same API group, kind and name, whatever the version. */
    private static boolean sameObject(OwnedResource a, OwnedResource b) {
        return group(a).equals(group(b)) && a.kind().equals(b.kind()) && a.name().equals(b.name());
    }

    private static String group(OwnedResource id) {
        int slash = id.apiVersion().indexOf('/');
        return slash < 0 ? "" : id.apiVersion().substring(0, slash);
    }

    private static void requireConfigMap(OwnedResource id) {
        if (!"v1".equals(id.apiVersion()) || !"ConfigMap".equals(id.kind())) {
            throw new IllegalArgumentException("not a kind this service manages: " + id.apiVersion() + " "
                    + id.kind());
        }
    }

    private List<OwnedResource> labelled(String namespace, String deployment) {
        Map<String, String> selector = DeploymentLabels.selector(deployment);
        List<OwnedResource> found = new ArrayList<>();
        client.configMaps().inNamespace(namespace).withLabels(selector).list().getItems()
                .forEach(c -> found.add(new OwnedResource("v1", "ConfigMap", c.getMetadata().getName())));
        List<CustomResourceKind> kinds = new ArrayList<>();
        servedKafkaTopic().ifPresent(kinds::add);
        kinds.add(CustomResourceKind.FLINK_DEPLOYMENT);
        kinds.add(CustomResourceKind.FLINK_SESSION_JOB);
        for (CustomResourceKind kind : kinds) {
            try {
                client.genericKubernetesResources(context(kind)).inNamespace(namespace).withLabels(selector).list()
                        .getItems().forEach(r -> found.add(new OwnedResource(kind.apiVersion(), kind.kind(),
                                r.getMetadata().getName())));
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
        return found;
    }

    private static int deleteRank(OwnedResource object, String deployment) {
        if (object.kind().startsWith("Flink")) {
            return 0;
        }
        if (object.name().equals(ManifestRenderer.inventoryName(deployment))) {
            return 3;
        }
        return object.kind().equals("ConfigMap") ? 1 : 2;
    }

    /**
     * Watches one custom resource until {@code judge} reaches or fails, the deadline passes or the job is cancelled.
     * Every version the watch delivers is judged; a watch the server closes is reopened.
     *
     * @param goneIsTarget whether the resource's absence is the target state (else it fails the wait)
     */
    private GenericKubernetesResource await(CustomResourceKind kind, String namespace, String name,
            Function<GenericKubernetesResource, Verdict> judge, Instant until, DeployProgress progress,
            java.util.function.Consumer<Map<String, Object>> statusSink, boolean goneIsTarget)
            throws DeployFailedException {
        Resource<GenericKubernetesResource> resource = resource(kind, namespace, name);
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        Object closed = new Object();
        Object reread = new Object();
        String what = kind.kind() + "/" + name;
        Verdict last = null;
        Map<String, Object> lastStatus = null;
        Watch watch = null;
        try {
            GenericKubernetesResource current = resource.get();
            while (true) {
                if (watch == null) {
                    if (current == null) {
                        current = resource.get();
                    }
                    // Watch from the version just read, so no change between the read and the watch is missed.
                    var from = new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                            .withResourceVersion(current == null ? null : current.getMetadata().getResourceVersion())
                            .build();
                    watch = resource.watch(from, new Watcher<>() {
                        @Override
                        public void eventReceived(Action action, GenericKubernetesResource object) {
                            events.add(action == Action.DELETED ? Optional.empty() : Optional.of(object));
                        }

                        @Override
                        public void onClose(WatcherException cause) {
                            events.add(closed);
                        }
                    });
                }
                if (current == null) {
                    if (goneIsTarget) {
                        progress.log(what + ": gone");
                        return null;
                    }
                    throw new DeployFailedException(Reason.OPERATOR_ERROR, what + " was deleted while waiting",
                            List.of());
                }
                Verdict verdict = judge.apply(current);
                if (statusSink != null) {
                    Map<String, Object> status = FlinkResourceStatus.of(current).asEvent();
                    if (!status.equals(lastStatus)) {
                        Map<String, Object> event = new LinkedHashMap<>();
                        event.put("resource", what);
                        event.putAll(status);
                        statusSink.accept(event);
                        lastStatus = status;
                    }
                }
                if (!Objects.equals(verdict, last)) {
                    progress.log(what + ": " + verdict.reason());
                    last = verdict;
                }
                if (verdict instanceof Verdict.Reached) {
                    return current;
                }
                if (verdict instanceof Verdict.Failed failed) {
                    throw new DeployFailedException(Reason.OPERATOR_ERROR, what + " failed: " + failed.reason(),
                            List.of());
                }
                Object event = null;
                Instant quietSince = clock.instant();
                while (event == null) {
                    checkCancelled(progress);
                    Duration left = Duration.between(clock.instant(), until);
                    if (left.isNegative() || left.isZero()) {
                        throw new DeployFailedException(Reason.DEADLINE, "deadline passed while waiting for "
                                + what + " (last: " + verdict.reason() + ")", List.of());
                    }
                    event = events.poll(Math.min(POLL.toMillis(), left.toMillis()), TimeUnit.MILLISECONDS);
                    if (event == null && Duration.between(quietSince, clock.instant()).compareTo(REREAD) >= 0) {
                        // A change between the read and the watch's start is replayed by the API server's watch
                        // cache, but not by every server (nor after the cache expired): read again when quiet.
                        event = reread;
                    }
                }
                if (event == reread) {
                    current = resource.get();
                } else if (event == closed) {
                    watch.close();
                    watch = null;
                    current = resource.get();
                } else {
                    current = ((Optional<?>) event).map(GenericKubernetesResource.class::cast).orElse(null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployFailedException(Reason.CANCELLED, "interrupted while waiting for " + what, List.of());
        } finally {
            if (watch != null) {
                watch.close();
            }
        }
    }

    private static Verdict topicVerdict(GenericKubernetesResource topic) {
        Map<?, ?> status = (Map<?, ?>) topic.getAdditionalProperties().get("status");
        Long generation = topic.getMetadata().getGeneration();
        if (status == null || !(status.get("observedGeneration") instanceof Number observed)
                || (generation != null && observed.longValue() < generation)) {
            return new Verdict.Pending("waiting for the topic operator");
        }
        if (status.get("conditions") instanceof List<?> conditions) {
            for (Object item : conditions) {
                if (item instanceof Map<?, ?> condition && "Ready".equals(condition.get("type"))) {
                    if ("True".equals(condition.get("status"))) {
                        return new Verdict.Reached("Ready");
                    }
                    return new Verdict.Failed("not ready: " + condition.get("reason") + ": "
                            + condition.get("message"));
                }
            }
        }
        return new Verdict.Pending("no Ready condition yet");
    }

    private static void checkCancelled(DeployProgress progress) throws DeployFailedException {
        if (progress.cancelRequested()) {
            throw new DeployFailedException(Reason.CANCELLED, "cancelled", List.of());
        }
    }

    private Resource<GenericKubernetesResource> resource(GenericKubernetesResource object) {
        CustomResourceKind kind = CustomResourceKind.of(object.getApiVersion(), object.getKind());
        return client.genericKubernetesResources(context(kind)).inNamespace(object.getMetadata().getNamespace())
                .resource(object);
    }

    private Resource<GenericKubernetesResource> resource(CustomResourceKind kind, String namespace, String name) {
        return client.genericKubernetesResources(context(kind)).inNamespace(namespace).withName(name);
    }

    static ResourceDefinitionContext context(CustomResourceKind kind) {
        return new ResourceDefinitionContext.Builder().withGroup(kind.group()).withVersion(kind.version())
                .withKind(kind.kind()).withPlural(kind.plural()).withNamespaced(true).build();
    }

    private static Map<String, String> labels(HasMetadata object) {
        return object.getMetadata().getLabels() == null ? Map.of() : object.getMetadata().getLabels();
    }

    private static String lines(Iterable<OwnedResource> owned) {
        StringBuilder text = new StringBuilder();
        owned.forEach(o -> text.append(o.line()).append('\n'));
        return text.toString();
    }
}
