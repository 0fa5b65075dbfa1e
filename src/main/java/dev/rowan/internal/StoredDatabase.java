package dev.rowan.internal;

/**
 * A connected user database as Rowan stores it. For a database on the built-in server, host, port,
 * user and password are null: they are the built-in server's. The password is encrypted.
 */
public record StoredDatabase(long id, String name, boolean builtin, String host, Integer port, String databaseName,
                             String username, String sslMode, String passwordEncrypted, long createdAt) {
    /** What an encrypted password of this database is bound to (the cipher's associated data). */
    public String credentialContext() {
        return "rowan database " + id;
    }

    @Override
    public String toString() {
        return "StoredDatabase[" + id + ", " + name + "]";
    }
}
