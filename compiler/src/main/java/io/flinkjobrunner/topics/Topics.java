package io.flinkjobrunner.topics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Kafka topic names a deployment unit reads and writes.
 *
 * <p>The NGSI-LD and alert topics default to the reference's names so the NGSI-LD broker and the Alerta bridge keep
 * working unchanged; the semantic-data topics are per deployment so two deployments never overwrite each other's
 * knowledge or constraints.
 */
public record Topics(
        String entities,
        String attributes,
        String attributesInsert,
        String alertsBulk,
        String rdf,
        String constraints,
        String combinations) {

    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    public Topics {
        for (String topic : new String[] {entities, attributes, attributesInsert, alertsBulk, rdf, constraints, combinations}) {
            Objects.requireNonNull(topic, "topic name");
            if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
                throw new IllegalArgumentException("not a valid Kafka topic name: '" + topic + "'");
            }
        }
    }

    /** The reference's shared topics plus semantic-data topics named after {@code deployment}. */
    public static Topics defaults(String deployment) {
        String prefix = "fjr." + deployment + ".";
        return new Topics(
                "iff.ngsild.entities",
                "iff.ngsild.attributes",
                "iff.ngsild.attributes_insert",
                "iff.alerts.bulk",
                prefix + "rdf",
                prefix + "constraint_table",
                prefix + "constraint_combination_table");
    }

    /** Every topic, in declaration order. */
    public List<String> all() {
        return List.of(entities, attributes, attributesInsert, alertsBulk, rdf, constraints, combinations);
    }

    /** Maps each topic to the same role's topic of {@code target} (e.g. a script's topics to a scenario's). */
    public Map<String, String> renamesTo(Topics target) {
        Map<String, String> renames = new LinkedHashMap<>();
        List<String> from = all();
        List<String> to = target.all();
        for (int i = 0; i < from.size(); i++) {
            renames.put(from.get(i), to.get(i));
        }
        return renames;
    }

    /** A copy with every topic name prefixed, for isolated scenarios that share one broker. */
    public Topics withPrefix(String prefix) {
        return new Topics(prefix + entities, prefix + attributes, prefix + attributesInsert, prefix + alertsBulk,
                prefix + rdf, prefix + constraints, prefix + combinations);
    }
}
