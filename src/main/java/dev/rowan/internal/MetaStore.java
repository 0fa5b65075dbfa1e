package dev.rowan.internal;

import java.util.Optional;

/** Installation-wide facts: the installation id, the secret key's fingerprint, when setup completed. */
public final class MetaStore {
    public static final String INSTALLATION_ID = "installation_id";
    public static final String SECRET_FINGERPRINT = "secret_key_fingerprint";
    public static final String SETUP_COMPLETED = "setup_completed_at";
    /** The built-in PostgreSQL superuser's password, encrypted. */
    public static final String BUILTIN_PASSWORD = "builtin_postgres_password";

    private final Jdbc jdbc;

    public MetaStore(InternalDatabase db) {
        this.jdbc = db.jdbc();
    }

    public Optional<String> get(String key) {
        return jdbc.queryOne("SELECT meta_value FROM rowan_meta WHERE meta_key = ?", rs -> rs.getString(1), key);
    }

    public void put(String key, String value) {
        jdbc.update("INSERT INTO rowan_meta (meta_key, meta_value) VALUES (?, ?) "
                + "ON CONFLICT (meta_key) DO UPDATE SET meta_value = excluded.meta_value", key, value);
    }

    /** Stores the value unless one is there already; returns whichever value is stored afterwards. */
    public String putIfAbsent(String key, String value) {
        jdbc.update("INSERT INTO rowan_meta (meta_key, meta_value) VALUES (?, ?) ON CONFLICT (meta_key) DO NOTHING", key, value);
        return get(key).orElseThrow();
    }
}
