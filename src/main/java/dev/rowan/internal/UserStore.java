package dev.rowan.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/** User accounts, and the one-time step that creates the first administrator. */
public final class UserStore {
    /** Why the first administrator was not created. */
    public enum SetupOutcome { CREATED, ALREADY_SET_UP, TOKEN_INVALID }

    private final Jdbc jdbc;

    public UserStore(InternalDatabase db) {
        this.jdbc = db.jdbc();
    }

    public Optional<User> findByUsername(String username) {
        return jdbc.queryOne("SELECT id, username, password_hash, is_admin FROM rowan_user WHERE lower(username) = lower(?)",
                rs -> new User(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)), username);
    }

    public boolean isSetUp() {
        return jdbc.queryOne("SELECT 1 FROM rowan_meta WHERE meta_key = ?", rs -> true, MetaStore.SETUP_COMPLETED).isPresent();
    }

    /**
     * Creates the first administrator, atomically: marks setup complete (a second attempt fails on the
     * key), consumes the setup token (when one is required), then inserts the user and drops all tokens.
     */
    public SetupOutcome createFirstAdmin(String setupTokenHash, String username, String passwordHash, long now) {
        return jdbc.inTransaction(c -> {
            try {
                Jdbc.update(c, "INSERT INTO rowan_meta (meta_key, meta_value) VALUES (?, ?)", MetaStore.SETUP_COMPLETED, Long.toString(now));
            } catch (SQLException e) {
                if (Jdbc.isUniqueViolation(e)) {
                    c.rollback();
                    return SetupOutcome.ALREADY_SET_UP;
                }
                throw e;
            }
            if (setupTokenHash != null
                    && Jdbc.update(c, "DELETE FROM rowan_setup_token WHERE token_hash = ?", setupTokenHash) != 1) {
                c.rollback();
                return SetupOutcome.TOKEN_INVALID;
            }
            insert(c, username, passwordHash, true, now);
            Jdbc.update(c, "DELETE FROM rowan_setup_token");
            return SetupOutcome.CREATED;
        });
    }

    private static void insert(Connection c, String username, String hash, boolean admin, long now) throws SQLException {
        Jdbc.update(c, "INSERT INTO rowan_user (username, password_hash, is_admin, created_at, password_changed_at) VALUES (?, ?, ?, ?, ?)",
                username, hash, admin, now, now);
    }

    /** Replaces the password and signs the user out everywhere. */
    public void changePassword(long userId, String passwordHash, long now) {
        jdbc.inTransaction(c -> {
            Jdbc.update(c, "UPDATE rowan_user SET password_hash = ?, password_changed_at = ? WHERE id = ?", passwordHash, now, userId);
            Jdbc.update(c, "DELETE FROM rowan_session WHERE user_id = ?", userId);
            return null;
        });
    }

    public void addSetupToken(String tokenHash, long now) {
        jdbc.update("INSERT INTO rowan_setup_token (token_hash, created_at) VALUES (?, ?)", tokenHash, now);
    }
}
