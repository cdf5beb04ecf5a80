package io.flinkjobrunner.service.deploy.local;

import io.flinkjobrunner.topics.Topics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The topics of a deployment on the local engine. Unlike a cluster, where the NGSI-LD and alert topics belong to the
 * platform and are shared, every local deployment has its own: entities posted to one deployment are validated only
 * by it and its alert stream holds only its alerts.
 */
public final class LocalTopics {

    /**
     * Bootstrap servers the unit's DDL names. The engine points every Kafka table at its in-process broker when it runs
     * the script (the broker's port changes with every start), so the script never names a real address.
     */
    public static final String BOOTSTRAP_SERVERS = "local-engine:9092";

    private static final Map<String, String> COMPACTED = Map.of("cleanup.policy", "compact");

    private LocalTopics() {
    }

    /** {@code fjr.<deployment>.ngsild.entities}, {@code …ngsild.attributes}, {@code …alerts.bulk}, {@code …rdf}, …. */
    public static Topics of(String deployment) {
        Topics semantic = Topics.defaults(deployment);
        String prefix = "fjr." + deployment + ".";
        return new Topics(prefix + "ngsild.entities", prefix + "ngsild.attributes",
                prefix + "ngsild.attributes_insert", prefix + "alerts.bulk", semantic.rdf(), semantic.constraints(),
                semantic.combinations());
    }

    /**
     * The topics to create with their configuration: the upsert topics (rule output, alerts, semantic data) are
     * compacted, the entity and attribute logs are not (their views take the row with the latest timestamp, which
     * compaction by offset could drop).
     */
    public static Map<String, Map<String, String>> configs(Topics topics) {
        Map<String, Map<String, String>> configs = new LinkedHashMap<>();
        configs.put(topics.entities(), Map.of());
        configs.put(topics.attributes(), Map.of());
        for (String upsert : List.of(topics.attributesInsert(), topics.alertsBulk(), topics.rdf(), topics.constraints(),
                topics.combinations())) {
            configs.put(upsert, COMPACTED);
        }
        return configs;
    }
}
