package dev.rowan.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The internal database's schema migrations: {@code db/internal/1.sql}, {@code 2.sql}, … (the first
 * line, a comment, describes it), one file for both SQLite and PostgreSQL. All pending migrations run in one transaction under a
 * lock (an advisory lock on PostgreSQL, the database's write lock on SQLite), so instances starting together take
 * turns and a failure leaves the schema as it was. The history table records each version, the
 * checksum of its SQL and the Rowan version that applied it.
 */
final class Migrations {
    /** One migration file. */
    record Migration(int version, String description, String sql, String checksum) {
    }

    /** What the history says: the highest version applied, and which Rowan applied it. */
    record Applied(int version, String checksum, String rowanVersion) {
    }

    static final String HISTORY = "rowan_schema_history";
    /** Key of the PostgreSQL advisory lock held while migrating ("rowan" in ASCII). */
    private static final long LOCK_KEY = 0x726f77616eL;

    private final String dialect;
    private final List<Migration> known;

    Migrations(String dialect) {
        this.dialect = dialect;
        this.known = load(dialect);
    }

    List<Migration> known() {
        return known;
    }

    int latestKnown() {
        return known.isEmpty() ? 0 : known.get(known.size() - 1).version();
    }

    /** The applied migrations, oldest first; empty when the history table does not exist. */
    List<Applied> applied(Connection c) throws SQLException {
        List<Applied> list = new ArrayList<>();
        try (var tables = c.getMetaData().getTables(null, null, HISTORY, null)) {
            if (!tables.next()) {
                return list;
            }
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, checksum, rowan_version FROM " + HISTORY + " ORDER BY version")) {
            while (rs.next()) {
                list.add(new Applied(rs.getInt(1), rs.getString(2), rs.getString(3)));
            }
        }
        return list;
    }

    /**
     * Applies what is pending and returns how many ran. Throws {@link NewerSchemaException} when the
     * database holds a version this Rowan does not know, and {@link IllegalStateException} when an
     * applied migration's SQL was changed afterwards; in both cases nothing is changed.
     */
    int migrate(Connection c, String rowanVersion, long now) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            // SQLite connections begin every transaction IMMEDIATE, which takes the database's write lock.
            if (dialect.equals("postgresql")) {
                s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            }
            s.execute("CREATE TABLE IF NOT EXISTS " + HISTORY + " (version INTEGER PRIMARY KEY, description VARCHAR(200) NOT NULL, "
                    + "checksum VARCHAR(64) NOT NULL, rowan_version VARCHAR(50) NOT NULL, applied_at BIGINT NOT NULL)");
            List<Applied> applied = applied(c);
            verify(applied);
            int ran = 0;
            for (Migration m : known) {
                if (applied.stream().anyMatch(a -> a.version() == m.version())) {
                    continue;
                }
                for (String statement : statements(m.sql())) {
                    s.execute(statement);
                }
                try (var insert = c.prepareStatement("INSERT INTO " + HISTORY
                        + " (version, description, checksum, rowan_version, applied_at) VALUES (?, ?, ?, ?, ?)")) {
                    insert.setInt(1, m.version());
                    insert.setString(2, m.description());
                    insert.setString(3, m.checksum());
                    insert.setString(4, rowanVersion);
                    insert.setLong(5, now);
                    insert.executeUpdate();
                }
                ran++;
            }
            c.commit();
            return ran;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** Refuses histories this Rowan cannot stand behind: newer versions, or changed migrations. */
    void verify(List<Applied> applied) {
        for (Applied a : applied) {
            if (a.version() > latestKnown()) {
                throw new NewerSchemaException(a.version(), a.rowanVersion(), latestKnown());
            }
            Migration m = known.get(a.version() - 1);
            if (!m.checksum().equals(a.checksum())) {
                throw new IllegalStateException("internal-database migration " + a.version() + " (" + m.description()
                        + ") differs from the one applied by Rowan " + a.rowanVersion());
            }
        }
    }

    /** Splits a migration into statements at semicolons that end a line (migrations keep to that). */
    private static List<String> statements(String sql) {
        List<String> list = new ArrayList<>();
        for (String part : sql.split(";\\s*(\\r?\\n|$)")) {
            String statement = part.lines().filter(l -> !l.strip().startsWith("--")).reduce("", (a, b) -> a + b + "\n").strip();
            if (!statement.isEmpty()) {
                list.add(statement);
            }
        }
        return list;
    }

    private static List<Migration> load(String dialect) {
        List<Migration> list = new ArrayList<>();
        for (int v = 1; ; v++) {
            try (InputStream in = Migrations.class.getResourceAsStream("/db/internal/" + v + ".sql")) {
                if (in == null) {
                    return List.copyOf(list);
                }
                String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                String first = sql.lines().findFirst().orElse("");
                String description = first.startsWith("--") ? first.substring(2).strip() : "migration " + v;
                list.add(new Migration(v, description, forDialect(sql, dialect), sha256(sql)));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read migration " + v, e);
            }
        }
    }

    /** The few words in which SQLite and PostgreSQL DDL differ for Rowan's tables. */
    private static String forDialect(String sql, String dialect) {
        boolean pg = dialect.equals("postgresql");
        return sql.replace("{{AUTO_ID}}", pg ? "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT")
                .replace("{{ID}}", pg ? "BIGINT" : "INTEGER");
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The database was migrated by a newer Rowan. */
    static final class NewerSchemaException extends RuntimeException {
        final int version;
        final String rowanVersion;
        final int latestKnown;

        NewerSchemaException(int version, String rowanVersion, int latestKnown) {
            super("schema version " + version + " written by Rowan " + rowanVersion);
            this.version = version;
            this.rowanVersion = rowanVersion;
            this.latestKnown = latestKnown;
        }
    }
}
