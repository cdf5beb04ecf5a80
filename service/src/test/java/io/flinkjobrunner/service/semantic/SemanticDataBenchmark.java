package io.flinkjobrunner.service.semantic;

import io.flinkjobrunner.compiler.SemanticTable;
import io.flinkjobrunner.compiler.SemanticTable.Column;
import io.flinkjobrunner.engine.LocalEngine;
import io.flinkjobrunner.kafka.KafkaTopicPublisher;
import io.flinkjobrunner.topics.Topics;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Times {@link SemanticDataService#replace} for a knowledge graph of N {@code rdf} rows plus N/100 constraints, on an
 * embedded PostgreSQL and the local engine's Kafka broker: first deploy (every row), redeploy of the same rows (no
 * change), redeploy with 1 % of the rows changed and 1 % removed, and the undo of that. Run as a program (see
 * docs/benchmarks.md); the argument is N (default 100000).
 */
public final class SemanticDataBenchmark {

    private SemanticDataBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start(); LocalEngine broker = LocalEngine.start()) {
            Topics topics = Topics.defaults("bench");
            broker.createTopics(List.of(topics.rdf(), topics.constraints(), topics.combinations()));
            SemanticDataService service = new SemanticDataService(postgres.getPostgresDatabase());
            try (KafkaTopicPublisher publisher = new KafkaTopicPublisher(
                    Map.of("bootstrap.servers", broker.bootstrapServers()), Duration.ofMinutes(5))) {
                time("first deploy, every row stored and published", () ->
                        service.replace("bench", tables(n, 0), topics, Set.of(), publisher));
                time("same rows again (nothing to write or publish)", () ->
                        service.replace("bench", tables(n, 0), topics, Set.of(), publisher));
                SemanticDataChange[] change = new SemanticDataChange[1];
                time("1 % of the rows changed, 1 % removed", () ->
                        change[0] = service.replace("bench", tables(n, 1), topics, Set.of(), publisher));
                time("undo of that change", () -> {
                    change[0].undo().run();
                    return change[0];
                });
            }
        }
    }

    private interface Run {
        SemanticDataChange run() throws Exception;
    }

    private static void time(String what, Run run) throws Exception {
        long start = System.nanoTime();
        SemanticDataChange change = run.run();
        System.out.printf("%-50s %8.2f s  %s%n", what, (System.nanoTime() - start) / 1e9, change.summary());
    }

    /** N rdf rows (in version 1, every 100th row's object changed and every 100th+1 row gone) and N/100 constraints. */
    private static List<SemanticTable> tables(int n, int version) {
        List<List<Object>> rdf = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (version == 1 && i % 100 == 1) {
                continue;
            }
            String object = version == 1 && i % 100 == 0 ? "<urn:changed:" + i + ">" : "<urn:class:" + (i % 500) + ">";
            rdf.add(List.of("<urn:entity:" + i + ">", "<http://www.w3.org/2000/01/rdf-schema#subClassOf>", object, 0));
        }
        List<List<Object>> constraints = new ArrayList<>();
        for (int i = 0; i < Math.max(1, n / 100); i++) {
            constraints.add(List.of(i, "<urn:class:" + (i % 500) + ">", "1"));
        }
        return List.of(
                new SemanticTable("rdf", List.of(new Column("subject", "STRING"), new Column("predicate", "STRING"),
                        new Column("object", "STRING"), new Column("index", "INT")),
                        List.of("subject", "predicate", "index"), rdf),
                new SemanticTable("constraint_table", List.of(new Column("id", "INT"),
                        new Column("targetClass", "STRING"), new Column("maxCount", "STRING")), List.of("id"),
                        constraints),
                new SemanticTable("constraint_combination_table", List.of(new Column("member_constraint_id", "INT"),
                        new Column("operation", "STRING"), new Column("target_constraint_id", "INT")),
                        List.of("member_constraint_id", "target_constraint_id"), List.of(List.of(0, "PUBLISH", -1))));
    }
}
