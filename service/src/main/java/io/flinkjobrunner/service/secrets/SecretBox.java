package io.flinkjobrunner.service.secrets;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Authenticated encryption (AES-256-GCM, random 96-bit nonce) of the secrets a queued job needs, and a keyed hash
 * (HMAC-SHA256, sub-key derived from the same master key) for comparing requests without storing them.
 */
public final class SecretBox {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec encryptionKey;
    private final SecretKeySpec macKey;
    private final String fingerprint;
    private final SecureRandom random = new SecureRandom();

    /** @param masterKey 32 random bytes */
    public SecretBox(byte[] masterKey) {
        if (masterKey.length != 32) {
            throw new IllegalArgumentException("the secret key must be 32 bytes (AES-256), got " + masterKey.length);
        }
        this.encryptionKey = new SecretKeySpec(derive(masterKey, "fjr-encryption"), "AES");
        this.macKey = new SecretKeySpec(derive(masterKey, "fjr-request-hmac"), "HmacSHA256");
        this.fingerprint = HexFormat.of().formatHex(derive(masterKey, "fjr-key-fingerprint"));
    }

    /**
     * Identifies the key without revealing it (HMAC of a fixed label, a sub-key of its own): two replicas share a key
     * exactly when their fingerprints are equal.
     */
    public String fingerprint() {
        return fingerprint;
    }

    /** Encrypts text; the output is nonce || ciphertext || tag. */
    public byte[] seal(String plaintext) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] ct = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(nonce.length + ct.length).put(nonce).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** Decrypts what {@link #seal} produced; fails if the data was altered or sealed with another key. */
    public String open(byte[] sealed) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            byte[] pt = cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
            return new String(pt, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored secret cannot be decrypted (was the secret key changed?)", e);
        }
    }

    /** Keyed hash of a canonical text, hex encoded. */
    public String mac(String canonical) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(macKey);
            return HexFormat.of().formatHex(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC failed", e);
        }
    }

    private static byte[] derive(byte[] master, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("key derivation failed", e);
        }
    }
}
