package dev.rowan.secret;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts stored credentials with AES-256-GCM under a key derived from the secret key. A stored value
 * is base64 of: one key-version byte, a 12-byte random nonce, the ciphertext and its 16-byte tag. The
 * tag authenticates the value, so a wrong key is detected (never garbage) and tampering too.
 */
public final class CredentialCipher {
    /** The derivation in use; a value written under another version is refused. */
    public static final byte KEY_VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    public CredentialCipher(String secretKey) {
        this.key = new SecretKeySpec(derive(secretKey), "AES");
    }

    /** Thrown when a value cannot be decrypted: written under another secret key, or damaged. */
    public static final class Unreadable extends Exception {
        public Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    public String encrypt(String plaintext, String context) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length)
                    .put(KEY_VERSION).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    public String decrypt(String stored, String context) throws Unreadable {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(stored);
        } catch (IllegalArgumentException e) {
            throw new Unreadable("the stored value is damaged");
        }
        if (bytes.length < 1 + NONCE_BYTES + TAG_BITS / 8) {
            throw new Unreadable("the stored value is damaged");
        }
        if (bytes[0] != KEY_VERSION) {
            throw new Unreadable("the stored value uses key version " + bytes[0] + ", this Rowan knows " + KEY_VERSION);
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 1, NONCE_BYTES));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(bytes, 1 + NONCE_BYTES, bytes.length - 1 - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new Unreadable("the secret key changed since it was stored (or the value was altered)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** HKDF-SHA256 (RFC 5869) with one output block: extract with a fixed salt, expand with the purpose. */
    private static byte[] derive(String secretKey) {
        try {
            Mac extract = Mac.getInstance("HmacSHA256");
            extract.init(new SecretKeySpec("rowan-credentials-salt".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] prk = extract.doFinal(secretKey.getBytes(StandardCharsets.UTF_8));
            Mac expand = Mac.getInstance("HmacSHA256");
            expand.init(new SecretKeySpec(prk, "HmacSHA256"));
            expand.update(("rowan credentials v" + KEY_VERSION).getBytes(StandardCharsets.UTF_8));
            expand.update((byte) 1);
            return expand.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
