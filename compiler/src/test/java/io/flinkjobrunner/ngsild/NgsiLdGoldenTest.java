package io.flinkjobrunner.ngsild;


import io.flinkjobrunner.testing.GoldenFile;
import io.flinkjobrunner.topics.TopicRecord;
import io.flinkjobrunner.topics.Topics;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Golden Kafka records (topic, key, value, timestamp) for representative models. Regenerate with
 * {@code -Dgolden.update=true} and review the diff.
 */
class NgsiLdGoldenTest {

    static final Path RESOURCES = Path.of("src/test/resources");
    static final Instant BASE = Instant.parse("2024-01-01T00:00:00Z");

    @ParameterizedTest
    @CsvSource({
        "kms/kms-constraints/test1/model4.jsonld, kms-test1-model4",
        "kms/kms-constraints/test1/model8.jsonld, kms-test1-model8",
        "kms/kms-constraints/test1/model12.jsonld, kms-test1-model12",
        "kms/kms-constraints/test5/model1.jsonld, kms-test5-model1",
        "kms/docs-examples/cutter-filter-full.jsonld, docs-cutter-filter-full",
        "ngsild/cases/value-kinds.jsonld, value-kinds",
        "ngsild/cases/prefixed-context.jsonld, prefixed-context",
    })
    void mapsModelToTheGoldenRecords(String model, String golden) throws Exception {
        NgsiLdMapper mapper = new NgsiLdMapper(NgsiLdContexts.withMappings(Map.of(
                "https://example.org/contexts/kms-test1.jsonld",
                RESOURCES.resolve("kms/kms-constraints/test1/context.jsonld"))));

        NgsiLdData data = mapper.map(RESOURCES.resolve(model), IngestionClock.sequence(BASE));

        String actual = data.toTopicRecords(Topics.defaults("golden")).stream()
                .map(NgsiLdGoldenTest::line)
                .collect(Collectors.joining("\n", "", "\n"));
        GoldenFile.assertMatches(RESOURCES.resolve("ngsild/golden/" + golden + ".records"), actual);
    }

    private static String line(TopicRecord record) {
        return record.topic() + "\t" + record.key() + "\t" + record.value() + "\t"
                + Instant.ofEpochMilli(record.timestampMillis());
    }
}
