package io.flinkjobrunner.planner;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * The units Flink's planner accepted on this machine, remembered across processes: an empty file per unit in a
 * directory, named by a digest of the unit's statements and of the planner that accepted them.
 *
 * <p>Why: planning is a function of the statements and of the code on the class path alone, and the compiler carries
 * shapes as data, so editing shapes and compiling again produces the same SQL. A cold JVM spends about 2 s of its
 * CPU on the first planning (docs/benchmarks.md, issue 16); a unit planned once needs no second planning in the next
 * process. The planner's identity is the JVM's version and every class-path entry's path, size and modification time
 * (for a directory, those of every file in it): a rebuilt or upgraded jar never answers for another. Only successes
 * are recorded. A record that cannot be read or written costs a planning, never a wrong answer, and the deployed job
 * is planned again at submission in any case.
 */
public final class AcceptedUnits {

    private final Path directory;
    private final String planner;

    /** Records in {@code directory} (created when the first unit is recorded) for the planner of this process. */
    public AcceptedUnits(Path directory) {
        this(directory, plannerOf(System.getProperty("java.class.path", "")));
    }

    AcceptedUnits(Path directory, String planner) {
        this.directory = directory;
        this.planner = planner;
    }

    /** Whether the unit of {@code unitDigest} was accepted by this planner before. */
    boolean contains(String unitDigest) {
        return Files.isRegularFile(record(unitDigest));
    }

    /** Remembers that this planner accepted the unit of {@code unitDigest}; a failure to write is not an error. */
    void add(String unitDigest) {
        Path record = record(unitDigest);
        Path partial = null;
        try {
            Files.createDirectories(directory);
            // written under a name of its own and moved: a reader sees the record whole or not at all
            partial = Files.createTempFile(directory, ".accepted-", ".tmp");
            Files.move(partial, record, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // a read-only or full disk, or no atomic move: the next process plans again
            if (partial != null) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException | SecurityException ignored) {
                    // nothing more to do: a stray temporary file is never read as a record
                }
            }
        }
    }

    private Path record(String unitDigest) {
        return directory.resolve(sha256(planner + '\n' + unitDigest));
    }

    /** The identity of the planner a class path gives: the JVM and each entry's path, size and modification time. */
    static String plannerOf(String classPath) {
        StringBuilder identity = new StringBuilder(System.getProperty("java.vm.vendor", "")).append(' ')
                .append(System.getProperty("java.vm.version", "")).append('\n');
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path path = Path.of(entry);
            identity.append(entry).append('\t');
            try {
                if (Files.isDirectory(path)) {
                    try (Stream<Path> files = Files.walk(path)) {
                        files.filter(Files::isRegularFile).sorted().forEach(file -> identity
                                .append(path.relativize(file)).append(' ').append(stamp(file)).append(';'));
                    }
                } else if (Files.exists(path)) {
                    identity.append(stamp(path));
                } else {
                    identity.append("missing");
                }
            } catch (IOException | UncheckedIOException e) {
                // unreadable now, perhaps readable later: an identity no other process will share
                identity.append("unreadable ").append(System.nanoTime());
            }
            identity.append('\n');
        }
        return sha256(identity.toString());
    }

    private static String stamp(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.size() + "@" + attributes.lastModifiedTime().toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
