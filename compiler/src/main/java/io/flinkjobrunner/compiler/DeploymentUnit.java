package io.flinkjobrunner.compiler;

import io.flinkjobrunner.topics.TopicRecord;
import io.flinkjobrunner.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;

/**
 * The compiler's output: one Flink SQL script that runs as a single job, the semantic data it reads, and the
 * coverage report.
 *
 * @param statements SET, CREATE TABLE, CREATE FUNCTION, CREATE VIEW and INSERT statements, in script order
 * @param semanticData the rows of {@code rdf}, {@code constraint_table} and {@code constraint_combination_table}
 * @param topics the topics the DDL names
 * @param bootstrapServers the Kafka bootstrap servers the DDL names
 * @param tables the table and view names
 * @param coverage what was compiled, ignored, rejected or deactivated
 */
public record DeploymentUnit(List<UnitStatement> statements, List<SemanticTable> semanticData, Topics topics,
        String bootstrapServers, TableNames tables, CoverageReport coverage) {

    public DeploymentUnit {
        statements = List.copyOf(statements);
        semanticData = List.copyOf(semanticData);
    }

    /** The statements of one kind, in order. */
    public List<UnitStatement> statements(UnitStatement.Kind kind) {
        return statements.stream().filter(s -> s.kind() == kind).toList();
    }

    /**
     * The full script: definitions first, then every INSERT inside one {@code EXECUTE STATEMENT SET BEGIN ... END;},
     * so the whole validation is one Flink job.
     */
    public String script() {
        StringBuilder out = new StringBuilder();
        out.append("-- flink-job-runner deployment unit: ").append(coverage.withStatus(CoverageReport.Status.COMPILED).size())
                .append(" compiled shape components, ").append(semanticData.stream().mapToInt(t -> t.rows().size()).sum())
                .append(" semantic rows on ").append(topics.rdf()).append(", ").append(topics.constraints()).append(", ")
                .append(topics.combinations()).append("\n\n");
        for (UnitStatement s : statements) {
            if (s.kind() != UnitStatement.Kind.INSERT) {
                out.append(s.sql()).append(";\n\n");
            }
        }
        out.append("EXECUTE STATEMENT SET\nBEGIN\n");
        out.append(statements(UnitStatement.Kind.INSERT).stream().map(s -> s.sql() + ";\n")
                .collect(Collectors.joining("\n")));
        out.append("END;\n");
        return out.toString();
    }

    /** The semantic table named {@code name} (unprefixed base name, e.g. {@code rdf}). */
    public SemanticTable table(String name) {
        return semanticData.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no semantic table " + name));
    }

    /** The semantic data as upsert records on this unit's topics. */
    public List<TopicRecord> records() {
        return records(topics);
    }

    /** The semantic data as upsert records (keyed by primary key) on the semantic topics of {@code target}. */
    public List<TopicRecord> records(Topics target) {
        List<TopicRecord> out = new ArrayList<>();
        try {
            forEachRecord(target, out::add);
        } catch (IOException e) {
            throw new UncheckedIOException("a JSON generator writing into memory failed", e);
        }
        return out;
    }

    /** The {@link #records(Topics)} one at a time, in the same order, without holding them all. */
    public void forEachRecord(Topics target, SemanticTable.RecordConsumer consumer) throws IOException {
        for (Published p : published(target)) {
            p.table().forEachRecord(p.topic(), consumer);
        }
    }

    /** The semantic tables in the order their records are published, each with its topic of {@code target}. */
    List<Published> published(Topics target) {
        return List.of(new Published(table("rdf"), target.rdf()),
                new Published(table("constraint_table"), target.constraints()),
                new Published(table("constraint_combination_table"), target.combinations()));
    }

    /** A semantic table and the topic its records go to. */
    record Published(SemanticTable table, String topic) {
    }
}
