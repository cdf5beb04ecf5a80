package io.flinkjobrunner.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Files written beside their destination directory and moved into it only when the command succeeds: the unit is
 * written while Flink's planner still checks it, and a unit the planner rejects must not replace the one a user
 * already has. The staging directory is a hidden sibling of the destination, so every move is a rename on one file
 * system.
 */
final class StagedDirectory implements AutoCloseable {

    private final Path destination;
    private final Path staging;
    private boolean committed;

    private StagedDirectory(Path destination, Path staging) {
        this.destination = destination;
        this.staging = staging;
    }

    /** A new, empty staging directory for {@code destination}. */
    static StagedDirectory beside(Path destination) throws IOException {
        Path absolute = destination.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        Files.createDirectories(parent);
        return new StagedDirectory(absolute, Files.createTempDirectory(parent, "." + absolute.getFileName() + ".staged-"));
    }

    /** Where the files are written until {@link #commit}. */
    Path path() {
        return staging;
    }

    /**
     * Moves every staged file to the same relative path under the destination (created if needed), replacing what is
     * there; files of the destination that were not staged stay.
     */
    void commit() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(staging)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            Path target = destination.resolve(staging.relativize(file).toString());
            Files.createDirectories(target.getParent());
            Files.move(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        committed = true;
        delete();
    }

    /** Removes the staging directory and whatever is left in it; the destination is not touched unless committed. */
    @Override
    public void close() throws IOException {
        if (!committed) {
            delete();
        }
    }

    private void delete() throws IOException {
        if (!Files.exists(staging)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(staging)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
