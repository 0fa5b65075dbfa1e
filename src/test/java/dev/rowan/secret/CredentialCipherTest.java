package dev.rowan.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class CredentialCipherTest {
    private final CredentialCipher cipher = new CredentialCipher("the-secret-key-of-this-installation-0123");

    @Test
    void aValueRoundTripsAndNeverLooksTheSameTwice() throws Exception {
        String a = cipher.encrypt("pässwörd with spaces", "database:1");
        String b = cipher.encrypt("pässwörd with spaces", "database:1");
        assertNotEquals(a, b, "a fresh nonce each time");
        assertEquals("pässwörd with spaces", cipher.decrypt(a, "database:1"));
        assertFalse(new String(Base64.getDecoder().decode(a)).contains("pässwörd"));
        assertEquals(CredentialCipher.KEY_VERSION, Base64.getDecoder().decode(a)[0]);
    }

    @Test
    void anotherSecretKeyIsDetectedNotDecryptedToGarbage() {
        String sealed = cipher.encrypt("secret", "database:1");
        CredentialCipher other = new CredentialCipher("a-different-secret-key-for-this-test-456");
        CredentialCipher.Unreadable e = assertThrows(CredentialCipher.Unreadable.class, () -> other.decrypt(sealed, "database:1"));
        assertTrue(e.getMessage().contains("secret key changed"), e.getMessage());
    }

    @Test
    void aValueMovedToAnotherRecordOrAlteredIsRefused() {
        String sealed = cipher.encrypt("secret", "database:1");
        assertThrows(CredentialCipher.Unreadable.class, () -> cipher.decrypt(sealed, "database:2"));
        byte[] bytes = Base64.getDecoder().decode(sealed);
        bytes[bytes.length - 1] ^= 1;
        assertThrows(CredentialCipher.Unreadable.class, () -> cipher.decrypt(Base64.getEncoder().encodeToString(bytes), "database:1"));
        assertThrows(CredentialCipher.Unreadable.class, () -> cipher.decrypt("not base64 !!", "database:1"));
        assertThrows(CredentialCipher.Unreadable.class, () -> cipher.decrypt("AAAA", "database:1"));
        bytes[0] = 9;
        CredentialCipher.Unreadable e = assertThrows(CredentialCipher.Unreadable.class,
                () -> cipher.decrypt(Base64.getEncoder().encodeToString(bytes), "database:1"));
        assertTrue(e.getMessage().contains("key version 9"), e.getMessage());
    }
}
