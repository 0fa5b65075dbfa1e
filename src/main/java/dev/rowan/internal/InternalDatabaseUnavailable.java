package dev.rowan.internal;

import dev.rowan.UserFacingException;

/** The internal database cannot be used at start; the message says why and what to do. */
public class InternalDatabaseUnavailable extends UserFacingException {
    public InternalDatabaseUnavailable(String message) {
        super(message);
    }
}
