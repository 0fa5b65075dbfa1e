package dev.rowan.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/** argon2id password hashing (OWASP's minimum profile: 19 MiB memory, 2 passes, 1 lane). */
public final class Passwords {
    private static final Argon2Function ARGON2 = Argon2Function.getInstance(19 * 1024, 2, 1, 32, Argon2.ID);
    /** Checked against when a user name does not exist, so that the answer takes the same time. */
    private static final String DUMMY_HASH = hash("rowan-dummy-password-for-timing");

    private Passwords() {
    }

    public static String hash(String password) {
        return Password.hash(password).addRandomSalt(16).with(ARGON2).getResult();
    }

    public static boolean verify(String password, String hash) {
        try {
            return Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Spends the time a real check would, for a user that does not exist. */
    public static void verifyNothing(String password) {
        verify(password, DUMMY_HASH);
    }
}
