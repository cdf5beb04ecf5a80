package io.flinkjobrunner.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A recorded expected output under a module's {@code src/test/resources}: a test compares what the code produces now
 * with it, and {@code -Dgolden.update=true} records the new output instead, so that a meant change shows in the
 * commit's diff where the review reads it.
 */
public final class GoldenFile {

    private GoldenFile() {
    }

    /** Whether this run records outputs instead of comparing them ({@code -Dgolden.update=true}). */
    public static boolean recording() {
        return Boolean.getBoolean("golden.update");
    }

    /**
     * Asserts that {@code actual} is the content of {@code recorded} (a path in the module's source tree, relative to
     * the module directory the tests run in), or, when {@link #recording() recording}, writes it there.
     */
    public static void assertMatches(Path recorded, String actual) {
        try {
            if (recording()) {
                Files.createDirectories(recorded.toAbsolutePath().getParent());
                Files.writeString(recorded, actual, StandardCharsets.UTF_8);
                return;
            }
            assertTrue(Files.exists(recorded), "no golden file " + recorded + "; record it with -Dgolden.update=true");
            assertEquals(Files.readString(recorded, StandardCharsets.UTF_8), actual, recorded
                    + " differs from what the code produces now; if the change is meant, re-record it with "
                    + "-Dgolden.update=true and let the review read the diff");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
