package io.flinkjobrunner.ngsild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ObservedAtTest {

    @ParameterizedTest
    @CsvSource({
        "2023-03-24 13:42:32.0, 2023-03-24T13:42:32Z",
        "2023-03-24 13:42:31.2, 2023-03-24T13:42:31.200Z",
        "2023-03-24T13:42:32Z, 2023-03-24T13:42:32Z",
        "2023-03-24T13:42:32.123456789z, 2023-03-24T13:42:32.123456789Z",
        "2023-03-24T15:42:32+02:00, 2023-03-24T13:42:32Z",
        "2023-03-24T15:42:32+0200, 2023-03-24T13:42:32Z",
        "2023-03-24T10:42:32-03, 2023-03-24T13:42:32Z",
        "2023-03-24T13:42, 2023-03-24T13:42:00Z",
        "2024-02-29 13:52:32, 2024-02-29T13:52:32Z",
    })
    void parsesTheAcceptedForms(String text, String expected) {
        assertEquals(Instant.parse(expected), ObservedAt.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2023-03-24", "2023-13-24T10:00:00Z", "2023-02-30 10:00:00", "13:42:32"})
    void rejectsOtherText(String text) {
        assertThrows(IllegalArgumentException.class, () -> ObservedAt.parse(text));
    }
}
