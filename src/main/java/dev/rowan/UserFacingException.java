package dev.rowan;

/**
 * A failure whose message is written for the person running Rowan: printed as it is, without a stack
 * trace, and never containing a secret.
 */
public class UserFacingException extends RuntimeException {
    public UserFacingException(String message) {
        super(message);
    }
}
