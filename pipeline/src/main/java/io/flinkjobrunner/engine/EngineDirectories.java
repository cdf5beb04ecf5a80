package io.flinkjobrunner.engine;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** The on-disk state of the local engine (broker logs, savepoints), removed as a whole when it is no longer needed. */
public final class EngineDirectories {

    private EngineDirectories() {
    }

    /**
     * Deletes {@code root} and everything below it; nothing happens when it does not exist.
     *
     * @throws IOException on the first file or directory that cannot be deleted (callers decide whether that matters)
     */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
