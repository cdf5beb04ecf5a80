package io.flinkjobrunner.service.digest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Lower-case hex SHA-256: content-addressed names, input and artifact checksums, what a deployment applied. */
public final class Sha256 {

    private Sha256() {
    }

    /** SHA-256 of {@code bytes}, 64 lower-case hex digits. */
    public static String hex(byte[] bytes) {
        return format(digest().digest(bytes));
    }

    /** SHA-256 of {@code text} in UTF-8. */
    public static String hex(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** SHA-256 of a file's content, read in blocks so that its size does not bound the heap. */
    public static String hex(Path file) throws IOException {
        MessageDigest digest = digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return hex(digest);
    }

    /** A fresh SHA-256 digest, for content that is hashed while it is copied somewhere else. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The hex of what {@code digest} has been fed; the digest is reset. */
    public static String hex(MessageDigest digest) {
        return format(digest.digest());
    }

    private static String format(byte[] hash) {
        return HexFormat.of().formatHex(hash);
    }
}
