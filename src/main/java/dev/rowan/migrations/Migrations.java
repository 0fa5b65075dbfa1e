package dev.rowan.migrations;

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
 * Versioned SQL migrations: {@code <folder>/1.sql}, {@code 2.sql}, … (the first line, a comment,
 * describes each), one file for both SQLite and PostgreSQL. All pending migrations run in one
 * transaction under a lock (an advisory lock on PostgreSQL, the database's write lock on SQLite), so
 * instances starting together take turns and a failure leaves the schema as it was. The history table
 * records each version, the checksum of its SQL and the Rowan version that applied it. Used for the
 * internal database and for the Rowan schemas in user databases.
 */
public final class Migrations {
    /** One migration file. */
    public record Migration(int version, String description, String sql, String checksum) {
    }

    /** One row of the history: a version applied, its checksum, and which Rowan applied it. */
    public record Applied(int version, String checksum, String rowanVersion) {
    }

    private final String folder;
    private final String dialect;
    private final String historyTable;
    private final String historySchema;
    private final long lockKey;
    private final List<Migration> known;

    /**
     * @param folder       classpath folder holding 1.sql, 2.sql, …
     * @param dialect      "sqlite" or "postgresql"
     * @param historyTable the history table, optionally schema-qualified (the schema is created when missing)
     * @param lockKey      PostgreSQL advisory lock key held while migrating
     */
    public Migrations(String folder, String dialect, String historyTable, long lockKey) {
        this.folder = folder;
        this.dialect = dialect;
        this.historyTable = historyTable;
        int dot = historyTable.indexOf('.');
        this.historySchema = dot < 0 ? null : historyTable.substring(0, dot);
        this.lockKey = lockKey;
        this.known = load(folder, dialect);
    }

    public List<Migration> known() {
        return known;
    }

    public int latestKnown() {
        return known.isEmpty() ? 0 : known.get(known.size() - 1).version();
    }

    /** The applied migrations, oldest first; empty when the history table does not exist. */
    public List<Applied> applied(Connection c) throws SQLException {
        List<Applied> list = new ArrayList<>();
        String table = historySchema == null ? historyTable : historyTable.substring(historySchema.length() + 1);
        try (var tables = c.getMetaData().getTables(null, historySchema, table, null)) {
            if (!tables.next()) {
                return list;
            }
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, checksum, rowan_version FROM " + historyTable + " ORDER BY version")) {
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
    public int migrate(Connection c, String rowanVersion, long now) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            // SQLite connections begin every transaction IMMEDIATE, which takes the database's write lock.
            if (dialect.equals("postgresql")) {
                s.execute("SELECT pg_advisory_xact_lock(" + lockKey + ")");
            }
            if (historySchema != null) {
                s.execute("CREATE SCHEMA IF NOT EXISTS " + historySchema);
            }
            s.execute("CREATE TABLE IF NOT EXISTS " + historyTable + " (version INTEGER PRIMARY KEY, description VARCHAR(200) NOT NULL, "
                    + "checksum VARCHAR(64) NOT NULL, rowan_version VARCHAR(50) NOT NULL, applied_at BIGINT NOT NULL)");
            List<Applied> applied = applied(c);
            verify(applied);
            int ran = 0;
            for (Migration m : known) {
                if (applied.stream().anyMatch(a -> a.version() == m.version())) {
                    continue;
                }
                if (dialect.equals("postgresql")) {
                    s.execute(m.sql()); // PostgreSQL runs a whole script at once, function bodies and all
                } else {
                    for (String statement : statements(m.sql())) {
                        s.execute(statement);
                    }
                }
                try (var insert = c.prepareStatement("INSERT INTO " + historyTable
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
    public void verify(List<Applied> applied) {
        for (Applied a : applied) {
            if (a.version() > latestKnown()) {
                throw new NewerSchemaException(a.version(), a.rowanVersion(), latestKnown());
            }
            Migration m = known.get(a.version() - 1);
            if (!m.checksum().equals(a.checksum())) {
                throw new IllegalStateException("migration " + folder + "/" + a.version() + ".sql (" + m.description()
                        + ") differs from the one applied by Rowan " + a.rowanVersion());
            }
        }
    }

    /** Splits a SQLite migration into statements at semicolons that end a line (migrations keep to that). */
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

    private static List<Migration> load(String folder, String dialect) {
        List<Migration> list = new ArrayList<>();
        for (int v = 1; ; v++) {
            try (InputStream in = Migrations.class.getResourceAsStream("/" + folder + "/" + v + ".sql")) {
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
    public static final class NewerSchemaException extends RuntimeException {
        public final int version;
        public final String rowanVersion;
        public final int latestKnown;

        NewerSchemaException(int version, String rowanVersion, int latestKnown) {
            super("schema version " + version + " written by Rowan " + rowanVersion);
            this.version = version;
            this.rowanVersion = rowanVersion;
            this.latestKnown = latestKnown;
        }

        /** {@link Migrations#whoWroteIt} for this refusal. */
        public String whoWroteIt(String thisRowanVersion) {
            return Migrations.whoWroteIt(version, rowanVersion, latestKnown, thisRowanVersion);
        }
    }

    /**
     * Which Rowan wrote a schema newer than this one knows, and which to start instead, as the end of a
     * sentence ("The internal database … " + this). Two builds can carry the same version number (a
     * development build, a rebuilt release), and "start Rowan 0.1.0 or newer; this is Rowan 0.1.0"
     * says nothing, so then the schema versions tell them apart.
     */
    public static String whoWroteIt(int found, String writtenBy, int latestKnown, String thisRowanVersion) {
        if (writtenBy.equals(thisRowanVersion)) {
            return "was updated to schema version " + found + " by another build of Rowan " + writtenBy + "; this build knows schema versions "
                    + "only up to " + latestKnown + ", so it is an older build that carries the same version number. Start the build that "
                    + "updated the database (or a later one)";
        }
        return "was last updated by Rowan " + writtenBy + " (schema version " + found + "); this is Rowan " + thisRowanVersion
                + ", which knows schema versions up to " + latestKnown + ". Start Rowan " + writtenBy + " or newer";
    }
}
