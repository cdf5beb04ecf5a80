package io.flinkjobrunner.service.deploy.kubernetes.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptPartsTest {

    @Test
    void concatenationOfPartsIsTheExactScript() {
        StringBuilder script = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            script.append("INSERT INTO alerts_bulk SELECT 'ä€𝄞 ").append(i).append("' FROM t;\n");
        }
        for (int max : new int[] {64, 100, 1024, 4096}) {
            List<String> parts = ScriptParts.split(script.toString(), max);
            assertEquals(script.toString(), String.join("", parts));
            for (String part : parts) {
                assertTrue(part.getBytes(StandardCharsets.UTF_8).length <= max, "part larger than " + max);
            }
        }
    }

    @Test
    void cutsAfterLineBreaksWhenALineFits() {
        List<String> parts = ScriptParts.split("aaaa\nbbbb\ncccc\n", 12);
        assertEquals(List.of("aaaa\nbbbb\n", "cccc\n"), parts);
    }

    @Test
    void cutsALongLineOnACharacterBoundary() {
        String line = "€".repeat(10);
        List<String> parts = ScriptParts.split(line, 7);
        assertEquals(List.of("€€", "€€", "€€", "€€", "€€"), parts);
    }

    @Test
    void emptyScriptIsOneEmptyPart() {
        assertEquals(List.of(""), ScriptParts.split("", 1024));
    }

    @Test
    void partFileNamesSortInScriptOrder() {
        assertEquals("part-0000.sql", ScriptParts.fileName(0));
        assertTrue(ScriptParts.fileName(9).compareTo(ScriptParts.fileName(10)) < 0);
    }
}
