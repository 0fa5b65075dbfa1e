package dev.rowan.internal;

/**
 * Counts sign-in attempts per key (user name and client address) in fixed windows; a successful
 * sign-in clears its key, so the count is the attempts since the last success. Kept in the internal
 * database so that the limit holds across instances.
 */
public final class LoginFailureStore {
    /** The window an attempt was counted in: when it started (epoch ms), and the attempts in it so far, this one included. */
    public record Attempts(long windowStart, long count) {
    }

    private final Jdbc jdbc;

    public LoginFailureStore(InternalDatabase db) {
        this.jdbc = db.jdbc();
    }

    /**
     * Counts one attempt before its password is checked. One statement increments and returns the
     * count, so parallel attempts each get a number of their own and no more than the limit can pass
     * a check of that number (a read followed by a later write let a burst through).
     */
    public Attempts countAttempt(String key, long now, long windowMillis) {
        long expired = now - windowMillis;
        return jdbc.queryOne("INSERT INTO rowan_login_failure (attempt_key, window_start, failures) VALUES (?, ?, 1) "
                                + "ON CONFLICT (attempt_key) DO UPDATE SET "
                                + "failures = CASE WHEN rowan_login_failure.window_start <= ? THEN 1 ELSE rowan_login_failure.failures + 1 END, "
                                + "window_start = CASE WHEN rowan_login_failure.window_start <= ? THEN ? ELSE rowan_login_failure.window_start END "
                                + "RETURNING window_start, failures",
                        rs -> new Attempts(rs.getLong(1), rs.getLong(2)), key, now, expired, expired, now)
                .orElseThrow(() -> new IllegalStateException("the sign-in attempt was not counted"));
    }

    public void clear(String key) {
        jdbc.update("DELETE FROM rowan_login_failure WHERE attempt_key = ?", key);
    }
}
