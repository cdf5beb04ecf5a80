package io.flinkjobrunner.service.secrets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretBoxTest {

    private final SecretBox box = new SecretBox(new byte[32]);

    @Test
    void sealsAndOpensWithRandomNonces() {
        byte[] a = box.seal("https://h/k?sig=1");
        byte[] b = box.seal("https://h/k?sig=1");
        assertFalse(Arrays.equals(a, b), "each seal uses a fresh nonce");
        assertFalse(new String(a, java.nio.charset.StandardCharsets.ISO_8859_1).contains("sig=1"));
        assertEquals("https://h/k?sig=1", box.open(a));
    }

    @Test
    void refusesTamperedOrForeignCiphertext() {
        byte[] sealed = box.seal("secret");
        sealed[sealed.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> box.open(sealed));
        byte[] other = new byte[32];
        other[0] = 1;
        assertThrows(IllegalStateException.class, () -> new SecretBox(other).open(box.seal("secret")));
    }

    @Test
    void macIsKeyedAndDeterministic() {
        assertEquals(box.mac("x"), box.mac("x"));
        byte[] other = new byte[32];
        other[0] = 1;
        assertNotEquals(box.mac("x"), new SecretBox(other).mac("x"));
    }

    @Test
    void generatesKeyFileOnceWithOwnerOnlyPermissions(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/secret.key");
        byte[] first = SecretKeySource.keyFile(file);
        assertEquals(32, first.length);
        assertArrayEquals(first, SecretKeySource.keyFile(file));
        assertTrue(Files.exists(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void refusesKeysOfWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> new SecretBox(new byte[16]));
    }
}
