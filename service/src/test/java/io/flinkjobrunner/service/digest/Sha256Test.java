package io.flinkjobrunner.service.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {

    /** FIPS 180-2's example "abc". */
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void bytesTextAFileAndAFedDigestHashAlike(@TempDir Path dir) throws Exception {
        assertEquals(ABC, Sha256.hex("abc".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(ABC, Sha256.hex("abc"));
        assertEquals(ABC, Sha256.hex(Files.writeString(dir.resolve("abc"), "abc")));
        MessageDigest fed = Sha256.digest();
        fed.update("ab".getBytes(StandardCharsets.US_ASCII));
        fed.update("c".getBytes(StandardCharsets.US_ASCII));
        assertEquals(ABC, Sha256.hex(fed));
    }

    @Test
    void aFileLargerThanOneBlockIsHashedWhole(@TempDir Path dir) throws Exception {
        byte[] content = new byte[200_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31);
        }
        assertEquals(Sha256.hex(content), Sha256.hex(Files.write(dir.resolve("big"), content)));
    }
}
