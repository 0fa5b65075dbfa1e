package dev.rowan.internal;

import java.util.Optional;

/** Sessions live in the internal database so that every Rowan instance sharing it knows them. */
public final class SessionStore {
    private final Jdbc jdbc;

    public SessionStore(InternalDatabase db) {
        this.jdbc = db.jdbc();
    }

    public void create(String tokenHash, long userId, String csrfToken, long now, long expiresAt) {
        jdbc.update("DELETE FROM rowan_session WHERE expires_at < ?", now);
        jdbc.update("INSERT INTO rowan_session (token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)",
                tokenHash, userId, csrfToken, now, expiresAt, now);
    }

    /** The unexpired session with this token hash. */
    public Optional<Session> find(String tokenHash, long now) {
        return jdbc.queryOne("SELECT s.token_hash, s.user_id, u.username, u.is_admin, s.csrf_token, s.expires_at, s.last_seen_at "
                        + "FROM rowan_session s JOIN rowan_user u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?",
                rs -> new Session(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getBoolean(4), rs.getString(5),
                        rs.getLong(6), rs.getLong(7)),
                tokenHash, now);
    }

    public void extend(String tokenHash, long now, long expiresAt) {
        jdbc.update("UPDATE rowan_session SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?", now, expiresAt, tokenHash);
    }

    public void delete(String tokenHash) {
        jdbc.update("DELETE FROM rowan_session WHERE token_hash = ?", tokenHash);
    }
}
