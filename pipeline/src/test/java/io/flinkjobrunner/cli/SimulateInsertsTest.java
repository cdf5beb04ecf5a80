package io.flinkjobrunner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@code fjr simulate --inserts} prints the rule-inferred attributes per model in the reference's format. */
class SimulateInsertsTest {

    private static final Path TEST3 = Path.of("../compiler/src/test/resources/kms/kms-rules/test3");

    @Test
    void printsRuleInferredAttributesPerModel() throws IOException {
        Path model2 = TEST3.resolve("model2.jsonld");
        Path model1 = TEST3.resolve("model1.jsonld");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = Fjr.run(new String[] {"simulate", "--inserts", "--knowledge",
            TEST3.resolve("knowledge.ttl").toString(), "--shacl", TEST3.resolve("shacl.ttl").toString(),
            "--model", model2.toString(), "--model", model1.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, exitCode, err.toString(StandardCharsets.UTF_8));
        List<String> lines = List.of(out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n")
                .split("\n"));
        assertEquals(Files.readAllLines(TEST3.resolve("model2.jsonld_result")), section(lines, "# inserts " + model2));
        assertEquals(Files.readAllLines(TEST3.resolve("model1.jsonld_result")), section(lines, "# inserts " + model1));
    }

    private static List<String> section(List<String> lines, String header) {
        int start = lines.indexOf(header);
        assertEquals(true, start >= 0, () -> "no '" + header + "' in " + lines);
        List<String> section = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("# ")) {
                break;
            }
            if (!line.isEmpty()) {
                section.add(line);
            }
        }
        return section;
    }
}
