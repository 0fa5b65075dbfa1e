package dev.rowan.internal;

/** A signed-in session as stored: the cookie token itself is never stored, only its hash. */
public record Session(String tokenHash, long userId, String username, boolean admin, String csrfToken,
                      long expiresAt, long lastSeenAt) {
}
