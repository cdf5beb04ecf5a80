package io.flinkjobrunner.service.semantic;

import io.flinkjobrunner.compiler.SemanticTable;
import io.flinkjobrunner.service.store.FencingToken;
import io.flinkjobrunner.service.store.Transaction;
import io.flinkjobrunner.service.state.OwnershipLostException;
import io.flinkjobrunner.topics.TopicPublisher;
import io.flinkjobrunner.topics.TopicRecord;
import io.flinkjobrunner.topics.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Stores a deployment's semantic data (the compiled {@code rdf}, {@code constraint_table} and
 * {@code constraint_combination_table} rows) in PostgreSQL and publishes the change to the deployment's compacted
 * topics, which is what Flink reads.
 *
 * <p>One transaction per replace: lock the deployment's data, read the stored rows, compute the delta, write it,
 * publish it (upserts keyed by primary key, tombstones for keys that disappeared) and commit only once the broker
 * acknowledged every record. The stored rows are therefore always the diff base of what the topics hold: a failed
 * publish rolls the database back and publishes the inverse of what may have reached the topics. Replacing with the
 * same rows changes nothing and publishes nothing.
 *
 * <p>Both deploy backends use it: the Kubernetes backend with a {@code KafkaTopicPublisher} on the platform's Kafka,
 * the local engine with its in-process broker.
 */
@ApplicationScoped
public class SemanticDataService {

    private final DataSource dataSource;

    @Inject
    public SemanticDataService(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Replaces the semantic data of {@code deployment} with {@code tables} and publishes the delta, outside any job.
     *
     * @see #replace(String, List, Topics, Set, TopicPublisher, Optional)
     */
    public SemanticDataChange replace(String deployment, List<SemanticTable> tables, Topics topics,
            Set<String> freshTopics, TopicPublisher publisher) throws SemanticDataException {
        return replace(deployment, tables, topics, freshTopics, publisher, Optional.empty());
    }

    /**
     * Replaces the semantic data of {@code deployment} with {@code tables} and publishes the delta.
     *
     * @param topics the deployment's topics (semantic topics by table: rdf, constraint_table,
     *     constraint_combination_table)
     * @param freshTopics topics known to be empty (created by this deploy): they receive every row, not the delta
     * @param publisher where the records go
     * @param job the deploy job's fencing token: the transaction holds it, so a replica that lost the job neither
     *     stores nor publishes anything, and no other replica takes the job over while this one publishes
     * @throws SemanticDataException when the database or the broker fails; the message says what they hold now
     * @throws io.flinkjobrunner.service.state.OwnershipLostException when the job is no longer this run's
     */
    public SemanticDataChange replace(String deployment, List<SemanticTable> tables, Topics topics,
            Set<String> freshTopics, TopicPublisher publisher, Optional<FencingToken> job)
            throws SemanticDataException {
        String schema = SemanticDataRepository.schema(deployment);
        List<Replacement> replacements = new ArrayList<>();
        List<TopicRecord> published = new ArrayList<>();
        List<SemanticDelta> deltas = new ArrayList<>();
        boolean[] publishing = {false};
        String[] compensated = {""};
        try {
            inTransaction(deployment, job, c -> {
                SemanticDataRepository.createSchema(c, schema);
                for (SemanticTable table : tables) {
                    String topic = topic(topics, table.name());
                    SemanticRows next = SemanticRows.of(table);
                    Optional<SemanticRows> stored = SemanticDataRepository.read(c, schema, table.name());
                    Replacement replacement = new Replacement(topic, stored, next);
                    replacement.write(c, schema);
                    replacements.add(replacement);
                    SemanticRows base = freshTopics.contains(topic) ? SemanticRows.empty(next.layout())
                            : replacement.previous();
                    SemanticDelta delta = SemanticDelta.between(base, next);
                    deltas.add(delta);
                    published.addAll(delta.records(topic));
                }
                publishing[0] = true;
                try {
                    publisher.publish(published);
                } catch (RuntimeException e) {
                    // still inside the transaction that holds the job: a replica that took the job over cannot be
                    // publishing yet, so these records cannot overwrite its own
                    compensated[0] = compensate(replacements, published, publisher);
                    throw e;
                }
            });
        } catch (SQLException | RuntimeException e) {
            if (e instanceof OwnershipLostException lost) {
                throw lost;
            }
            if (!publishing[0]) {
                throw new SemanticDataException("cannot store the semantic data of deployment '" + deployment
                        + "' in PostgreSQL: " + e.getMessage() + "; nothing was published, the previous rows stay",
                        e);
            }
            String state = compensated[0];
            if (state.isEmpty()) {
                // published, but the commit failed: take the records back, still only while the job is this run's
                String[] after = {""};
                try {
                    inTransaction(deployment, job, c -> after[0] = compensate(replacements, published, publisher));
                } catch (SQLException again) {
                    after[0] = "; the published rows could not be taken back (" + again.getMessage() + "): the "
                            + "semantic topics may hold part of the new version until the next deploy";
                }
                state = after[0];
            }
            throw new SemanticDataException("cannot publish the semantic data of deployment '" + deployment + "': "
                    + e.getMessage() + "; PostgreSQL keeps the previous rows" + state, e);
        }
        return new SemanticDataChange(deltas, () -> restore(deployment, replacements, publisher, job));
    }

    /** Drops the deployment's stored semantic data (after its topics were deleted), outside any job. */
    public void drop(String deployment) throws SemanticDataException {
        drop(deployment, Optional.empty());
    }

    /** Drops the deployment's stored semantic data (after its topics were deleted), while {@code job} holds its job. */
    public void drop(String deployment, Optional<FencingToken> job) throws SemanticDataException {
        try {
            inTransaction(deployment, job, c -> SemanticDataRepository.dropSchema(c,
                    SemanticDataRepository.schema(deployment)));
        } catch (SQLException e) {
            throw new SemanticDataException("cannot drop the semantic data of deployment '" + deployment + "': "
                    + e.getMessage(), e);
        }
    }

    /** The stored rows of one table of {@code deployment}, in primary-key order of storage (empty: none stored). */
    public Optional<SemanticRows> stored(String deployment, String table) throws SemanticDataException {
        try (Connection c = dataSource.getConnection()) {
            return SemanticDataRepository.read(c, SemanticDataRepository.schema(deployment), table);
        } catch (SQLException e) {
            throw new SemanticDataException("cannot read the semantic data of deployment '" + deployment + "': "
                    + e.getMessage(), e);
        }
    }

    /** The topic a semantic table is published to. */
    static String topic(Topics topics, String table) {
        return switch (table) {
            case "rdf" -> topics.rdf();
            case "constraint_table" -> topics.constraints();
            case "constraint_combination_table" -> topics.combinations();
            default -> throw new IllegalArgumentException("no semantic topic for table '" + table + "'");
        };
    }

    /** After a failed publish: republish what the topics held before, for every key the attempt may have touched. */
    private static String compensate(List<Replacement> replacements, List<TopicRecord> attempted,
            TopicPublisher publisher) {
        if (attempted.isEmpty()) {
            return "; nothing was published";
        }
        List<TopicRecord> inverse = new ArrayList<>();
        for (Replacement replacement : replacements) {
            inverse.addAll(SemanticDelta.between(replacement.next(), replacement.previous())
                    .records(replacement.topic()));
        }
        try {
            publisher.publish(inverse);
            return "; the previous rows were republished to the topics";
        } catch (RuntimeException e) {
            return "; republishing the previous rows failed too (" + e.getMessage() + "): the semantic topics may "
                    + "hold part of the new version until the next deploy";
        }
    }

    private void restore(String deployment, List<Replacement> replacements, TopicPublisher publisher,
            Optional<FencingToken> job) {
        String schema = SemanticDataRepository.schema(deployment);
        try {
            inTransaction(deployment, job, c -> {
                List<TopicRecord> inverse = new ArrayList<>();
                for (Replacement replacement : replacements) {
                    replacement.undo(c, schema);
                    inverse.addAll(SemanticDelta.between(replacement.next(), replacement.previous())
                            .records(replacement.topic()));
                }
                publisher.publish(inverse);
            });
        } catch (OwnershipLostException e) {
            throw e;
        } catch (SQLException | RuntimeException e) {
            throw new IllegalStateException("cannot restore the previous semantic data of deployment '" + deployment
                    + "': " + e.getMessage() + "; PostgreSQL and the topics keep the new version", e);
        }
    }

    /**
     * Runs {@code work} in one transaction holding the job's fencing token (if any) and the deployment's lock; commits
     * only if it completes.
     */
    private void inTransaction(String deployment, Optional<FencingToken> job, Transaction.Statements work)
            throws SQLException {
        Transaction.run(dataSource::getConnection, c -> {
            if (job.isPresent()) {
                job.get().hold(c);
            }
            SemanticDataRepository.lock(c, deployment);
            work.run(c);
            return null;
        });
    }

    /** One table's replacement: what was stored before (if anything) and the new rows. */
    private record Replacement(String topic, Optional<SemanticRows> stored, SemanticRows next) {

        /** The stored rows, or no rows when nothing was stored. */
        SemanticRows previous() {
            return stored.orElseGet(() -> SemanticRows.empty(next.layout()));
        }

        /** True when the stored table has another layout (a new compiler version): it is recreated. */
        boolean relayout() {
            return stored.isPresent() && !stored.get().layout().equals(next.layout());
        }

        SemanticDelta delta() {
            return SemanticDelta.between(previous(), next);
        }

        void write(Connection c, String schema) throws SQLException {
            if (stored.isEmpty() || relayout()) {
                SemanticDataRepository.dropTable(c, schema, next.layout().table());
                SemanticDataRepository.createTable(c, schema, next.layout());
                SemanticDataRepository.apply(c, schema, next.layout(),
                        SemanticDelta.between(SemanticRows.empty(next.layout()), next));
            } else {
                SemanticDataRepository.apply(c, schema, next.layout(), delta());
            }
        }

        void undo(Connection c, String schema) throws SQLException {
            if (stored.isEmpty() || relayout()) {
                SemanticDataRepository.dropTable(c, schema, next.layout().table());
                if (stored.isPresent()) {
                    SemanticRows before = stored.get();
                    SemanticDataRepository.createTable(c, schema, before.layout());
                    SemanticDataRepository.apply(c, schema, before.layout(),
                            SemanticDelta.between(SemanticRows.empty(before.layout()), before));
                }
            } else {
                SemanticDataRepository.apply(c, schema, next.layout(), SemanticDelta.between(next, previous()));
            }
        }
    }
}
