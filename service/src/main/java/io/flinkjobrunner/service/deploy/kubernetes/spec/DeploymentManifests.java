package io.flinkjobrunner.service.deploy.kubernetes.spec;

import io.flinkjobrunner.service.state.OwnedResource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The Kubernetes objects of one deployment, in apply order: topics, SQL ConfigMaps, the inventory, the Flink resource.
 *
 * <p>{@code plan} writes exactly these objects as {@code manifests.yaml}; {@code deploy} applies exactly these.
 *
 * @param target namespace, deployment and owning job
 * @param kafkaTopics Strimzi KafkaTopics
 * @param sqlConfigMaps the SQL parts, one ConfigMap each
 * @param flinkResource the FlinkDeployment or FlinkSessionJob
 * @param flinkKind which of the two {@code flinkResource} is
 * @param inventory the ConfigMap listing every object above and itself
 * @param scriptSha256 hex SHA-256 of the script, also in the names of the SQL ConfigMaps
 */
public record DeploymentManifests(
        DeploymentTarget target,
        List<GenericKubernetesResource> kafkaTopics,
        List<ConfigMap> sqlConfigMaps,
        GenericKubernetesResource flinkResource,
        CustomResourceKind flinkKind,
        ConfigMap inventory,
        String scriptSha256) {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    public DeploymentManifests {
        Objects.requireNonNull(target, "target");
        kafkaTopics = List.copyOf(kafkaTopics);
        sqlConfigMaps = List.copyOf(sqlConfigMaps);
        Objects.requireNonNull(flinkResource, "flinkResource");
        Objects.requireNonNull(flinkKind, "flinkKind");
        Objects.requireNonNull(inventory, "inventory");
    }

    /** Every object in apply order. */
    public List<HasMetadata> all() {
        List<HasMetadata> all = new ArrayList<>(kafkaTopics);
        all.addAll(sqlConfigMaps);
        all.add(inventory);
        all.add(flinkResource);
        return List.copyOf(all);
    }

    /** What the inventory records: every object of {@link #all()}, sorted. */
    public List<OwnedResource> ownedResources() {
        TreeSet<OwnedResource> owned = new TreeSet<>();
        for (HasMetadata object : all()) {
            owned.add(new OwnedResource(object.getApiVersion(), object.getKind(), object.getMetadata().getName()));
        }
        return List.copyOf(owned);
    }

    /** Multi-document YAML of {@link #all()}, the {@code manifests.yaml} artifact of {@code plan}. */
    public String toYaml() {
        StringBuilder yaml = new StringBuilder();
        for (HasMetadata object : all()) {
            String document = SERIALIZATION.asYaml(object);
            yaml.append(document.startsWith("---") ? document : "---\n" + document);
            if (!document.endsWith("\n")) {
                yaml.append('\n');
            }
        }
        return yaml.toString();
    }
}
