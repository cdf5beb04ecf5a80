package io.flinkjobrunner.runner;

import io.flinkjobrunner.settle.SettledSinkNames;
import io.flinkjobrunner.settle.SettledUpsertKafkaFactory;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.internal.TableEnvironmentInternal;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogManager;
import org.apache.flink.table.catalog.ContextResolvedTable;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.catalog.ResolvedCatalogBaseTable;

/**
 * Applies {@link RunOptions} to the Kafka tables of the current catalog and database right after they are created.
 *
 * <p>The options are rewritten in the catalog (a temporary table is re-registered, a permanent one altered), so views
 * and INSERTs created afterwards see the overridden table while the script text stays exactly what a deployment runs.
 */
final class KafkaTableOverrides {

    static final String CONNECTOR = "connector";
    static final String KAFKA = "kafka";
    static final String UPSERT_KAFKA = "upsert-kafka";
    /** {@code kafka} and the connectors wrapping it with its options and topics (a source reporting its progress). */
    private static final Set<String> KAFKA_TABLES = Set.of(KAFKA, SettledSinkNames.PROGRESS_KAFKA);
    /** {@code upsert-kafka} and the connectors wrapping it (the settled alert sink, a source reporting progress). */
    private static final Set<String> UPSERT_KAFKA_TABLES = Set.of(UPSERT_KAFKA, SettledUpsertKafkaFactory.IDENTIFIER,
            SettledSinkNames.PROGRESS_UPSERT_KAFKA);
    static final String BOOTSTRAP_SERVERS = "properties.bootstrap.servers";
    static final String STARTUP_MODE = "scan.startup.mode";
    static final String BOUNDED_MODE = "scan.bounded.mode";
    static final String TOPIC = "topic";

    private final RunOptions options;
    private final Set<ObjectIdentifier> seen = new HashSet<>();

    KafkaTableOverrides(RunOptions options) {
        this.options = options;
    }

    /** Rewrites every Kafka table not seen before; returns the identifiers rewritten by this call. */
    Set<ObjectIdentifier> apply(TableEnvironment tableEnvironment) {
        Set<ObjectIdentifier> rewritten = new HashSet<>();
        if (!options.overridesKafkaTables()) {
            return rewritten;
        }
        CatalogManager catalogs = ((TableEnvironmentInternal) tableEnvironment).getCatalogManager();
        for (String name : catalogs.listTables()) {
            ObjectIdentifier identifier =
                    ObjectIdentifier.of(catalogs.getCurrentCatalog(), catalogs.getCurrentDatabase(), name);
            if (!seen.add(identifier)) {
                continue;
            }
            Optional<ContextResolvedTable> table = catalogs.getTable(identifier);
            if (table.isEmpty() || table.get().isAnonymous()) {
                continue;
            }
            ResolvedCatalogBaseTable<?> resolved = table.get().getResolvedTable();
            if (resolved.getTableKind() != CatalogBaseTable.TableKind.TABLE) {
                continue;
            }
            Map<String, String> current = resolved.getOptions();
            Map<String, String> overridden = overriddenOptions(current);
            if (overridden.equals(current)) {
                continue;
            }
            ContextResolvedTable copy = table.get().copy(overridden);
            if (table.get().isTemporary()) {
                catalogs.dropTemporaryTable(identifier, false);
                catalogs.createTemporaryTable(copy.getResolvedTable(), identifier, false);
            } else {
                catalogs.alterTable(copy.getResolvedTable(), identifier, false);
            }
            rewritten.add(identifier);
        }
        return rewritten;
    }

    /** The options of a table after applying the run options; unchanged for non-Kafka connectors. */
    Map<String, String> overriddenOptions(Map<String, String> tableOptions) {
        String connector = tableOptions.get(CONNECTOR);
        boolean kafka = connector != null && KAFKA_TABLES.contains(connector);
        boolean upsertKafka = connector != null && UPSERT_KAFKA_TABLES.contains(connector);
        if (!kafka && !upsertKafka) {
            return tableOptions;
        }
        Map<String, String> result = new HashMap<>(tableOptions);
        options.kafkaBootstrapServersOverride().ifPresent(servers -> result.put(BOOTSTRAP_SERVERS, servers));
        String topics = tableOptions.get(TOPIC);
        if (topics != null && !options.topicRenames().isEmpty()) {
            // the kafka connector accepts a ';'-separated topic list
            result.put(TOPIC, Arrays.stream(topics.split(";", -1))
                    .map(topic -> options.topicRenames().getOrDefault(topic.strip(), topic))
                    .collect(Collectors.joining(";")));
        }
        if (options.boundedSources()) {
            result.remove("scan.bounded.specific-offsets");
            result.remove("scan.bounded.timestamp-millis");
            result.put(BOUNDED_MODE, "latest-offset");
            if (kafka) {
                // upsert-kafka always starts at the earliest offset and has no startup option
                result.remove("scan.startup.specific-offsets");
                result.remove("scan.startup.timestamp-millis");
                result.put(STARTUP_MODE, "earliest-offset");
            }
        }
        return result;
    }
}
