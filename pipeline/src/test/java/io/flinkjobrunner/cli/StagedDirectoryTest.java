package io.flinkjobrunner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedDirectoryTest {

    @Test
    void committedFilesReplaceTheirNamesakesAndLeaveTheOthers(@TempDir Path parent) throws Exception {
        Path unit = parent.resolve("unit");
        Files.createDirectories(unit.resolve("semantic-data"));
        Files.writeString(unit.resolve("unit.sql"), "old");
        Files.writeString(unit.resolve("notes.txt"), "the user's");
        try (StagedDirectory staged = StagedDirectory.beside(unit)) {
            Files.writeString(staged.path().resolve("unit.sql"), "new");
            Files.createDirectories(staged.path().resolve("semantic-data"));
            Files.writeString(staged.path().resolve("semantic-data/rdf.json"), "{}");
            assertEquals("old", Files.readString(unit.resolve("unit.sql")), "nothing moves before the commit");
            staged.commit();
        }
        assertEquals("new", Files.readString(unit.resolve("unit.sql")));
        assertEquals("{}", Files.readString(unit.resolve("semantic-data/rdf.json")));
        assertEquals("the user's", Files.readString(unit.resolve("notes.txt")));
        assertEquals(List.of("unit"), names(parent), "the staging directory is gone");
    }

    @Test
    void anUncommittedStageLeavesTheDestinationAsItWas(@TempDir Path parent) throws Exception {
        Path unit = parent.resolve("unit");
        Files.createDirectories(unit);
        Files.writeString(unit.resolve("unit.sql"), "old");
        try (StagedDirectory staged = StagedDirectory.beside(unit)) {
            Files.writeString(staged.path().resolve("unit.sql"), "rejected by the planner");
        }
        assertEquals("old", Files.readString(unit.resolve("unit.sql")));
        assertEquals(List.of("unit"), names(parent));
    }

    @Test
    void aDestinationThatDoesNotExistYetIsCreatedOnCommitOnly(@TempDir Path parent) throws Exception {
        Path unit = parent.resolve("out/unit");
        try (StagedDirectory staged = StagedDirectory.beside(unit)) {
            Files.writeString(staged.path().resolve("unit.sql"), "sql");
            assertFalse(Files.exists(unit));
            staged.commit();
        }
        assertEquals("sql", Files.readString(unit.resolve("unit.sql")));
        assertEquals(List.of("unit"), names(parent.resolve("out")));
    }

    private static List<String> names(Path directory) throws Exception {
        try (Stream<Path> list = Files.list(directory)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
