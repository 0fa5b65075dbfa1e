package dev.rowan.internal;

import java.util.OptionalLong;

/**
 * Counts failed sign-ins per key (user name and client address) in fixed windows. Kept in the
 * internal database so that the limit holds across instances.
 */
public final class LoginFailureStore {
    private final Jdbc jdbc;

    public LoginFailureStore(InternalDatabase db) {
        this.jdbc = db.jdbc();
    }

    /** When the key has used up its failures, the time (epoch ms) at which it may try again. */
    public OptionalLong blockedUntil(String key, long now, long windowMillis, int maxFailures) {
        return jdbc.queryOne("SELECT window_start, failures FROM rowan_login_failure WHERE attempt_key = ?",
                        rs -> new long[] {rs.getLong(1), rs.getLong(2)}, key)
                .filter(r -> r[0] + windowMillis > now && r[1] >= maxFailures)
                .map(r -> OptionalLong.of(r[0] + windowMillis))
                .orElse(OptionalLong.empty());
    }

    public void recordFailure(String key, long now, long windowMillis) {
        long expired = now - windowMillis;
        jdbc.update("INSERT INTO rowan_login_failure (attempt_key, window_start, failures) VALUES (?, ?, 1) "
                        + "ON CONFLICT (attempt_key) DO UPDATE SET "
                        + "failures = CASE WHEN rowan_login_failure.window_start <= ? THEN 1 ELSE rowan_login_failure.failures + 1 END, "
                        + "window_start = CASE WHEN rowan_login_failure.window_start <= ? THEN ? ELSE rowan_login_failure.window_start END",
                key, now, expired, expired, now);
    }

    public void clear(String key) {
        jdbc.update("DELETE FROM rowan_login_failure WHERE attempt_key = ?", key);
    }
}
