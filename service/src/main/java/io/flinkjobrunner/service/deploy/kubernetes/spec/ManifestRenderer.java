package io.flinkjobrunner.service.deploy.kubernetes.spec;

import io.flinkjobrunner.service.problems.InvalidDeploymentException;
import io.flinkjobrunner.service.state.OwnedResource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.flinkjobrunner.service.digest.Sha256;
import io.flinkjobrunner.topics.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders a compiled SQL script into the Kubernetes objects of a deployment. Pure: values in, fabric8 objects out.
 *
 * <p>SQL ConfigMaps carry the script's hash in their names, so a new script gets new ConfigMaps and the previous
 * Flink spec keeps pointing at the previous SQL: that is what makes a rollback to the previous spec run the previous
 * SQL, and what changes the Flink spec (its projected volume) when only the SQL changed, so the operator upgrades.
 */
public final class ManifestRenderer {

    /** Data key of the inventory ConfigMap that lists the owned objects, one {@link OwnedResource#line()} each. */
    public static final String INVENTORY_KEY = "resources";
    /** Annotation with the script's SHA-256 on the Flink resource and the inventory. */
    public static final String SCRIPT_SHA_ANNOTATION = "flinkjobrunner.io/script-sha256";
    /** Flink's main container, the one the operator's pod template merges into. */
    public static final String FLINK_MAIN_CONTAINER = "flink-main-container";

    /** Label on objects shared with the platform (NGSI-LD and alert topics): never deleted by this service. */
    public static final String SHARED_LABEL = "flinkjobrunner.io/shared";

    private static final String SQL_VOLUME = "sql";

    private ManifestRenderer() {
    }

    /** Name of the inventory ConfigMap of {@code deployment}. */
    public static String inventoryName(String deployment) {
        return deployment + "-fjr-inventory";
    }

    /**
     * Renders everything {@code deploy} applies for {@code script} on {@code topics}.
     *
     * @throws InvalidDeploymentException when the Flink operator would reject the FlinkDeployment
     *     ({@link FlinkOperatorRules}) or a state directory needs a filesystem the image cannot serve
     */
    public static DeploymentManifests render(DeploymentTarget target, DeploySettings settings, String script,
            Topics topics) {
        String sha = Sha256.hex(script);
        List<GenericKubernetesResource> kafkaTopics = kafkaTopics(target, settings.kafka(), topics);
        List<String> parts = ScriptParts.split(script, settings.configMapPartBytes());
        List<ConfigMap> sqlConfigMaps = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            sqlConfigMaps.add(new ConfigMapBuilder()
                    .withMetadata(meta(target, sqlConfigMapName(target.deployment(), sha, i)))
                    .addToData(ScriptParts.fileName(i), parts.get(i))
                    .build());
        }
        FlinkSettings flink = settings.flink();
        CustomResourceKind flinkKind = CustomResourceKind.FLINK_DEPLOYMENT;
        Map<String, Object> spec = applicationSpec(target, flink, sqlConfigMaps);
        FlinkOperatorRules.require(spec);
        GenericKubernetesResource flinkResource = new GenericKubernetesResourceBuilder()
                .withApiVersion(flinkKind.apiVersion())
                .withKind(flinkKind.kind())
                .withMetadata(annotated(meta(target, target.deployment()), sha))
                .withAdditionalProperties(ordered("spec", spec))
                .build();
        ConfigMap inventory = new ConfigMapBuilder()
                .withMetadata(annotated(meta(target, inventoryName(target.deployment())), sha))
                .build();
        inventory.getMetadata().getLabels().put(DeploymentLabels.COMPONENT, "inventory");
        DeploymentManifests withoutList = new DeploymentManifests(target, kafkaTopics, sqlConfigMaps, flinkResource,
                flinkKind, inventory, sha);
        inventory.setData(Map.of(INVENTORY_KEY, withoutList.ownedResources().stream()
                .map(owned -> owned.line() + "\n").collect(Collectors.joining())));
        return withoutList;
    }

    /** Parses the owned-object list of an inventory ConfigMap's data. */
    public static List<OwnedResource> parseInventory(Map<String, String> data) {
        String list = data == null ? null : data.get(INVENTORY_KEY);
        if (list == null) {
            return List.of();
        }
        return list.lines().filter(line -> !line.isBlank()).map(OwnedResource::parse).sorted().toList();
    }

    private static List<GenericKubernetesResource> kafkaTopics(DeploymentTarget target, KafkaTopicSettings kafka,
            Topics topics) {
        List<GenericKubernetesResource> result = new ArrayList<>();
        for (String semantic : List.of(topics.rdf(), topics.constraints(), topics.combinations())) {
            Map<String, Object> config = new LinkedHashMap<>();
            // Semantic data is a table: compaction keeps the last row per key and drops tombstoned keys.
            config.put("cleanup.policy", "compact");
            config.putAll(kafka.extraConfig());
            result.add(kafkaTopic(target, kafka, semantic, config));
        }
        if (kafka.createPlatformTopics()) {
            for (String platform : List.of(topics.entities(), topics.attributes(), topics.attributesInsert(),
                    topics.alertsBulk())) {
                Map<String, Object> config = new LinkedHashMap<>();
                if (kafka.retention() != null) {
                    config.put("retention.ms", String.valueOf(kafka.retention().toMillis()));
                }
                config.putAll(kafka.extraConfig());
                GenericKubernetesResource shared = kafkaTopic(target, kafka, platform, config);
                // Shared with the NGSI-LD broker and the Alerta bridge: undeploy and rollback never delete these.
                shared.getMetadata().getLabels().put(SHARED_LABEL, "true");
                result.add(shared);
            }
        }
        return result;
    }

    private static GenericKubernetesResource kafkaTopic(DeploymentTarget target, KafkaTopicSettings kafka,
            String topic, Map<String, Object> config) {
        ObjectMeta meta = meta(target, kafkaTopicResourceName(topic));
        meta.getLabels().put("strimzi.io/cluster", kafka.strimziCluster());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("topicName", topic);
        spec.put("partitions", kafka.partitions());
        spec.put("replicas", kafka.replicas());
        spec.put("config", config);
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(kafka.kind().apiVersion())
                .withKind(kafka.kind().kind())
                .withMetadata(meta)
                .withAdditionalProperties(ordered("spec", spec))
                .build();
    }

    /**
     * Kafka topic names allow upper case and {@code _}, object names do not: lower-case, {@code _} to {@code -}, and a
     * hash suffix whenever that changed the name, so two topics never map to one KafkaTopic.
     */
    static String kafkaTopicResourceName(String topic) {
        String name = topic.toLowerCase(Locale.ROOT).replace('_', '-');
        if (name.equals(topic) && name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
            return name;
        }
        name = name.replaceAll("[^-a-z0-9.]", "-").replaceAll("^[^a-z0-9]+|[^a-z0-9]+$", "");
        String suffix = Sha256.hex(topic).substring(0, 8);
        if (name.length() > 253 - 9) {
            name = name.substring(0, 253 - 9);
        }
        return name.isEmpty() ? "topic-" + suffix : name + "-" + suffix;
    }

    static String sqlConfigMapName(String deployment, String sha, int index) {
        return "%s-sql-%s-%04d".formatted(deployment, sha.substring(0, 12), index);
    }

    private static Map<String, Object> applicationSpec(DeploymentTarget target, FlinkSettings flink,
            List<ConfigMap> sqlConfigMaps) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("image", flink.image());
        spec.put("imagePullPolicy", flink.imagePullPolicy());
        spec.put("flinkVersion", flink.flinkVersion());
        spec.put("serviceAccount", flink.serviceAccount());
        Map<String, String> configuration = flinkConfiguration(target, flink);
        spec.put("flinkConfiguration", configuration);
        spec.put("jobManager", ordered("replicas", 1, "resource", resource(flink.jobManager())));
        spec.put("taskManager", ordered("resource", resource(flink.taskManager())));
        List<Object> sources = new ArrayList<>();
        for (int i = 0; i < sqlConfigMaps.size(); i++) {
            String file = ScriptParts.fileName(i);
            sources.add(ordered("configMap", ordered(
                    "name", sqlConfigMaps.get(i).getMetadata().getName(),
                    "items", List.of(ordered("key", file, "path", file)))));
        }
        Map<String, Object> container = ordered("name", FLINK_MAIN_CONTAINER);
        String plugins = FileSystemPlugins.jarsFor(stateDirectories(configuration), flink.imageFlinkRelease());
        if (!plugins.isEmpty()) {
            // JobManager and TaskManager both read the state directories: the pod template is shared by both.
            container.put("env", List.of(ordered("name", FileSystemPlugins.ENV, "value", plugins)));
        }
        container.put("volumeMounts", List.of(ordered(
                "name", SQL_VOLUME, "mountPath", flink.sqlDirectory(), "readOnly", true)));
        spec.put("podTemplate", ordered("spec", ordered(
                "containers", List.of(container),
                "volumes", List.of(ordered("name", SQL_VOLUME, "projected", ordered("sources", sources))))));
        spec.put("job", job(flink, flink.sqlDirectory(), true));
        return spec;
    }

    /** The values of the configuration keys Flink writes state to (checkpoints, savepoints, HA metadata). */
    private static List<String> stateDirectories(Map<String, String> configuration) {
        List<String> directories = new ArrayList<>();
        for (String key : List.of(FlinkOperatorRules.CHECKPOINTS, FlinkOperatorRules.CHECKPOINTS_1,
                FlinkOperatorRules.SAVEPOINTS, FlinkOperatorRules.SAVEPOINTS_1, "high-availability.storageDir")) {
            String value = configuration.get(key);
            if (value != null && !value.isBlank()) {
                directories.add(value);
            }
        }
        return directories;
    }

    private static Map<String, Object> job(FlinkSettings flink, String sqlDirectory, boolean running) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("jarURI", flink.runnerJarUri());
        job.put("entryClass", FlinkSettings.RUNNER_CLASS);
        job.put("args", List.of(sqlDirectory));
        job.put("parallelism", flink.parallelism());
        job.put("upgradeMode", flink.upgradeMode().crdValue());
        job.put("state", running ? "running" : "suspended");
        return job;
    }

    private static Map<String, Object> resource(ResourceRequest request) {
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("cpu", request.cpu());
        resource.put("memory", request.memory());
        return resource;
    }

    private static Map<String, String> flinkConfiguration(DeploymentTarget target, FlinkSettings flink) {
        Map<String, String> config = new LinkedHashMap<>();
        // Flink 2 renamed the state options; the operator reads whichever key the declared version knows.
        boolean flink1 = flink.flinkVersion().startsWith("v1_");
        if (flink.checkpointInterval() != null) {
            config.put("execution.checkpointing.interval", flink.checkpointInterval().toMillis() + " ms");
        }
        if (flink.stateDirectory() != null && !flink.stateDirectory().isBlank()) {
            String base = flink.stateDirectory().replaceAll("/+$", "");
            String suffix = "/" + target.namespace() + "/" + target.deployment();
            config.put(flink1 ? "state.checkpoints.dir" : "execution.checkpointing.dir",
                    base + "/checkpoints" + suffix);
            config.put(flink1 ? "state.savepoints.dir" : "execution.checkpointing.savepoint-dir",
                    base + "/savepoints" + suffix);
            // last-state upgrades and JobManager failover need HA metadata next to the state.
            config.put("high-availability.type", "kubernetes");
            config.put("high-availability.storageDir", base + "/ha" + suffix);
        }
        config.putAll(flink.flinkConfiguration());
        return config;
    }

    private static ObjectMeta meta(DeploymentTarget target, String name) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(target.namespace())
                .withLabels(new LinkedHashMap<>(DeploymentLabels.of(target)))
                .build();
    }

    private static ObjectMeta annotated(ObjectMeta meta, String sha) {
        meta.setAnnotations(new LinkedHashMap<>(Map.of(SCRIPT_SHA_ANNOTATION, sha)));
        return meta;
    }

    /** A map that keeps the given key order, so the YAML is stable and reads top-down like a hand-written one. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
