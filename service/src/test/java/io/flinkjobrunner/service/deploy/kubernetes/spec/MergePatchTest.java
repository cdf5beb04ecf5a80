package io.flinkjobrunner.service.deploy.kubernetes.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The merge patch the deployer sends: only what differs, removed keys as null, equal numbers never. */
class MergePatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void changedValuesAndRemovedKeysOnlyWithArraysReplacedWhole() throws Exception {
        assertEquals(json("{\"job\":{\"args\":[\"b\"],\"state\":null},\"image\":\"new\"}"), MergePatch.diff(
                json("{\"job\":{\"args\":[\"a\"],\"state\":\"running\",\"parallelism\":2},\"image\":\"old\","
                        + "\"same\":{\"x\":1}}"),
                json("{\"job\":{\"args\":[\"b\"],\"parallelism\":2},\"image\":\"new\",\"same\":{\"x\":1}}")));
    }

    @Test
    void aNumberEqualByValueIsNotSentAgain() throws Exception {
        // The API server stores the rendered 1.0 as 1 and would count 1.0 sent again as a new generation.
        assertEquals(json("{}"), MergePatch.diff(json("{\"resource\":{\"cpu\":1,\"memory\":\"1024m\"}}"),
                json("{\"resource\":{\"cpu\":1.0,\"memory\":\"1024m\"}}")));
        assertEquals(json("{\"resource\":{\"cpu\":1.5}}"), MergePatch.diff(json("{\"resource\":{\"cpu\":1}}"),
                json("{\"resource\":{\"cpu\":1.5}}")));
        assertEquals(json("{\"replicas\":\"1\"}"), MergePatch.diff(json("{\"replicas\":1}"),
                json("{\"replicas\":\"1\"}")), "a string is not a number");
    }
}
