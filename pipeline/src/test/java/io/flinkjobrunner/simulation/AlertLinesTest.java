package io.flinkjobrunner.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AlertLinesTest {

    @Test
    void printsSortedSqliteQuotedLines() {
        List<String> lines = AlertLines.of(List.of(
                "{\"resource\":\"urn:plasmacutter:1\",\"event\":\"DatatypeConstraintComponent(https://x/state[0])\","
                        + "\"environment\":\"Development\",\"service\":[\"SHACL Validator\"],\"severity\":\"warning\","
                        + "\"customer\":\"customer\",\"text\":\"t\"}",
                "{\"resource\":\"urn:filter:1\",\"event\":\"SPARQLConstraintComponent(it's)\",\"severity\":\"ok\"}",
                "{\"resource\":\"urn:plasmacutter:1\",\"event\":\"CountConstraintComponent(https://x/hasFilter)\","
                        + "\"severity\":null}"));

        assertEquals(List.of(
                "'urn:filter:1','SPARQLConstraintComponent(it''s)','ok'",
                "'urn:plasmacutter:1','CountConstraintComponent(https://x/hasFilter)',NULL",
                "'urn:plasmacutter:1','DatatypeConstraintComponent(https://x/state[0])','warning'"), lines);
    }

    @Test
    void printsNumericLookingTextUnquotedLikeSqliteNumericAffinity() {
        assertEquals(List.of("'urn:x','e',2"), AlertLines.of(List.of(
                "{\"resource\":\"urn:x\",\"event\":\"e\",\"severity\":\"2\"}")));
    }

    @Test
    void sortsByBytesLikeTheCLocale() {
        List<String> lines = AlertLines.of(List.of("{\"resource\":\"b\",\"event\":\"e\",\"severity\":\"s\"}",
                "{\"resource\":\"B\",\"event\":\"e\",\"severity\":\"s\"}",
                "{\"resource\":\"ä\",\"event\":\"e\",\"severity\":\"s\"}"));

        assertEquals(List.of("'B','e','s'", "'b','e','s'", "'ä','e','s'"), lines);
    }
}
