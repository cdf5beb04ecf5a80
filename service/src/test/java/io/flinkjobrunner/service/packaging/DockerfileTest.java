package io.flinkjobrunner.service.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Docker cannot run on the build machines; these checks catch what would break or weaken the images: multi-stage,
 * pinned base images, a non-root runtime user, and every COPY source present in the build context (the repository).
 */
class DockerfileTest {

    /** One instruction with its continuation lines joined. */
    record Instruction(String keyword, String arguments) {
    }

    static List<Instruction> parse(Path dockerfile) throws IOException {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile)) {
            String trimmed = line.strip();
            if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String text = current.toString().strip();
            int space = text.indexOf(' ');
            instructions.add(new Instruction(text.substring(0, space).toUpperCase(), text.substring(space + 1).strip()));
            current.setLength(0);
        }
        return instructions;
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile", "docker/flink/Dockerfile"})
    void imageIsMultiStagePinnedAndNonRoot(String file) throws IOException {
        List<Instruction> instructions = parse(ServiceManifests.ROOT.resolve(file));
        List<Instruction> froms = instructions.stream().filter(i -> i.keyword().equals("FROM")).toList();
        assertTrue(froms.size() >= 2, "multi-stage build");
        for (Instruction from : froms) {
            String image = from.arguments().split("\\s+")[0];
            assertTrue(image.contains(":") && !image.endsWith(":latest"), "base image pinned to a tag: " + image);
        }
        int lastFrom = instructions.lastIndexOf(froms.get(froms.size() - 1));
        List<Instruction> runtime = instructions.subList(lastFrom, instructions.size());
        List<Instruction> users = runtime.stream().filter(i -> i.keyword().equals("USER")).toList();
        assertFalse(users.isEmpty(), "the runtime stage sets USER");
        String user = users.get(users.size() - 1).arguments().split(":")[0];
        assertTrue(user.matches("[1-9][0-9]*"), "runtime user is a non-root numeric uid, got " + user);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile", "docker/flink/Dockerfile"})
    void everyCopySourceExistsInTheBuildContext(String file) throws IOException {
        List<String> missing = new ArrayList<>();
        int copies = 0;
        for (Instruction instruction : parse(ServiceManifests.ROOT.resolve(file))) {
            if (!instruction.keyword().equals("COPY") && !instruction.keyword().equals("ADD")) {
                continue;
            }
            List<String> words = new ArrayList<>(Arrays.asList(instruction.arguments().split("\\s+")));
            if (words.stream().anyMatch(w -> w.startsWith("--from="))) {
                continue;
            }
            words.removeIf(w -> w.startsWith("--"));
            for (String source : words.subList(0, words.size() - 1)) {
                copies++;
                if (!Files.exists(ServiceManifests.ROOT.resolve(source))) {
                    missing.add(source);
                }
            }
        }
        assertTrue(copies > 0, "the build copies sources from the context");
        assertEquals(List.of(), missing, "COPY sources missing from the build context");
    }
}
