package io.flinkjobrunner.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineDirectoriesTest {

    @TempDir
    Path temp;

    @Test
    void deletesTheWholeTree() throws Exception {
        Path root = temp.resolve("deployment");
        Files.createDirectories(root.resolve("savepoints/savepoint-1"));
        Files.writeString(root.resolve("savepoints/savepoint-1/_metadata"), "state");
        Files.writeString(root.resolve("unit.sql"), "SELECT 1");

        EngineDirectories.delete(root);

        assertFalse(Files.exists(root));
        assertTrue(Files.exists(temp), "only the given directory goes");
    }

    @Test
    void aMissingDirectoryIsNothingToDo() throws Exception {
        EngineDirectories.delete(temp.resolve("never-created"));
        assertTrue(Files.exists(temp));
    }
}
