package dev.rowan.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The user databases Rowan manages, with their encrypted credentials. */
public final class DatabaseStore {
    private static final String COLUMNS = "id, name, builtin, host, port, database_name, username, ssl_mode, password_enc, created_at";
    private final Jdbc jdbc;

    public DatabaseStore(InternalDatabase db) {
        this.jdbc = db.jdbc();
    }

    private static StoredDatabase row(ResultSet rs) throws SQLException {
        int port = rs.getInt(5);
        return new StoredDatabase(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getString(4), rs.wasNull() ? null : port,
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getLong(10));
    }

    public List<StoredDatabase> list() {
        return jdbc.query("SELECT " + COLUMNS + " FROM rowan_database ORDER BY lower(name)", DatabaseStore::row);
    }

    public Optional<StoredDatabase> find(long id) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM rowan_database WHERE id = ?", DatabaseStore::row, id);
    }

    public boolean nameTaken(String name) {
        return jdbc.queryOne("SELECT 1 FROM rowan_database WHERE lower(name) = lower(?)", rs -> true, name).isPresent();
    }

    /**
     * Stores a database; the password is encrypted by {@code seal} once the row's id (which the
     * ciphertext is bound to) is known, in the same transaction. Returns the stored row.
     */
    public StoredDatabase insert(String name, boolean builtin, String host, Integer port, String databaseName, String username,
                                 String sslMode, Function<StoredDatabase, String> seal, long now) {
        long id = jdbc.inTransaction(c -> {
            long newId;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO rowan_database (name, builtin, host, port, database_name, "
                    + "username, ssl_mode, password_enc, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, name);
                ps.setBoolean(2, builtin);
                ps.setString(3, host);
                ps.setObject(4, port);
                ps.setString(5, databaseName);
                ps.setString(6, username);
                ps.setString(7, sslMode);
                ps.setLong(8, now);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    newId = keys.getLong(1);
                }
            }
            StoredDatabase stored = new StoredDatabase(newId, name, builtin, host, port, databaseName, username, sslMode, null, now);
            String sealed = seal.apply(stored);
            if (sealed != null) {
                Jdbc.update(c, "UPDATE rowan_database SET password_enc = ? WHERE id = ?", sealed, newId);
            }
            return newId;
        });
        return find(id).orElseThrow();
    }

    public void delete(long id) {
        jdbc.update("DELETE FROM rowan_database WHERE id = ?", id);
    }

    /** Re-encrypts every stored password in one transaction, and records the new key's fingerprint with it. */
    public void reseal(Function<StoredDatabase, String> reseal, String newFingerprint, Function<String, String> resealMetaSecret) {
        jdbc.inTransaction(c -> {
            for (StoredDatabase d : list()) {
                if (d.passwordEncrypted() != null) {
                    Jdbc.update(c, "UPDATE rowan_database SET password_enc = ? WHERE id = ?", reseal.apply(d), d.id());
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT meta_value FROM rowan_meta WHERE meta_key = ?")) {
                ps.setString(1, MetaStore.BUILTIN_PASSWORD);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        Jdbc.update(c, "UPDATE rowan_meta SET meta_value = ? WHERE meta_key = ?",
                                resealMetaSecret.apply(rs.getString(1)), MetaStore.BUILTIN_PASSWORD);
                    }
                }
            }
            Jdbc.update(c, "UPDATE rowan_meta SET meta_value = ? WHERE meta_key = ?", newFingerprint, MetaStore.SECRET_FINGERPRINT);
            return null;
        });
    }
}
