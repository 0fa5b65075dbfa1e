package dev.rowan.userdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rowan.migrations.Migrations;
import dev.rowan.testing.PostgresVersions;
import dev.rowan.userdb.RowanSchemaStatus.State;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Installing, upgrading and removing the Rowan schemas, on every supported PostgreSQL major. */
class RowanSchemaTest {
    private static final String MAJORS = "dev.rowan.testing.PostgresVersions#majors";
    private static final String ROWAN_VERSION = "1.2.3-test";

    private final RowanSchema schema = new RowanSchema();

    private static Connection freshDatabase(int major) throws SQLException {
        return PostgresVersions.connect(major, PostgresVersions.newDatabase(major));
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource(MAJORS)
    void aFreshInstallCreatesBothSchemasAndRecordsItsVersionInTheDatabase(int major) throws SQLException {
        try (Connection c = freshDatabase(major)) {
            assertEquals(State.NOT_INSTALLED, schema.status(c).state());

            assertEquals(3, schema.install(c, ROWAN_VERSION));

            assertEquals(new RowanSchemaStatus(State.CURRENT, 3, ROWAN_VERSION, 3), schema.status(c));
            assertEquals(List.of("1 " + ROWAN_VERSION, "2 " + ROWAN_VERSION, "3 " + ROWAN_VERSION),
                    Sql.column(c, "SELECT version || ' ' || rowan_version FROM rowan.schema_history ORDER BY version"));
            assertEquals(List.of("rowan", "rowan_types"),
                    Sql.column(c, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rowan%' ORDER BY 1"));
            assertEquals("ann@example.org|http://example.org|-12.00|1234.5|true|2024-03-05",
                    Sql.one(c, "SELECT concat_ws('|', rowan.cast_to_email('ann@Example.org'), rowan.cast_to_uri('example.org'), "
                            + "rowan.cast_to_money('(12.00)'), rowan.cast_to_numeric('1 234,5'), rowan.cast_to_boolean('yes')::text, "
                            + "rowan.cast_to_date('March 5, 2024'))"));
            assertEquals("1234|9000000000|1234.5|\"x\" is not a whole number",
                    Sql.one(c, "SELECT concat_ws('|', rowan.cast_to_integer('1,234'), rowan.cast_to_bigint('9,000,000,000'), "
                            + "rowan.cast_to_double('1.234,5'), rowan.cast_error('x', 'integer'::regtype, false))"));
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource(MAJORS)
    void installingAgainChangesNothing(int major) throws SQLException {
        try (Connection c = freshDatabase(major)) {
            schema.install(c, ROWAN_VERSION);
            List<String> before = snapshot(c);

            assertEquals(0, schema.install(c, "9.9.9"));

            assertEquals(before, snapshot(c));
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource(MAJORS)
    void anInstallationOfVersion1IsUpgradedToTheLatestKeepingItsObjectsAndData(int major) throws SQLException {
        try (Connection c = freshDatabase(major)) {
            installVersion1Only(c, "0.9.0");
            Sql.run(c, "CREATE TABLE people (id int, email rowan_types.email)",
                    "INSERT INTO people VALUES (1, rowan.cast_to_email('ann@example.org'))");
            String emailCast = Sql.one(c, "SELECT 'rowan.cast_to_email(text)'::regprocedure::oid");
            assertEquals(new RowanSchemaStatus(State.NEEDS_UPGRADE, 1, "0.9.0", 3), schema.status(c));
            assertNull(Sql.one(c, "SELECT to_regprocedure('rowan.cast_to_date(text)')"));

            assertEquals(2, schema.install(c, ROWAN_VERSION));

            assertEquals(new RowanSchemaStatus(State.CURRENT, 3, ROWAN_VERSION, 3), schema.status(c));
            assertEquals(List.of("1 0.9.0", "2 " + ROWAN_VERSION, "3 " + ROWAN_VERSION),
                    Sql.column(c, "SELECT version || ' ' || rowan_version FROM rowan.schema_history ORDER BY version"));
            assertEquals("2024-03-05", Sql.one(c, "SELECT rowan.cast_to_date('5 Mar 2024')"));
            assertEquals(emailCast, Sql.one(c, "SELECT 'rowan.cast_to_email(text)'::regprocedure::oid"), "version 1 is not re-created");
            assertEquals("(1,ann@example.org)", Sql.one(c, "SELECT p::text FROM people p"));
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource(MAJORS)
    void removalConvertsEveryColumnToItsBaseTypeKeepsEveryValueAndLeavesNothingOfRowan(int major) throws SQLException {
        try (Connection c = freshDatabase(major)) {
            schema.install(c, ROWAN_VERSION);
            String longName = "ä".repeat(31) + "x"; // 63 bytes, the longest name PostgreSQL keeps
            Sql.run(c,
                    "CREATE SCHEMA \"Odd \"\"Schema\"\"\"",
                    "CREATE TABLE \"Odd \"\"Schema\"\"\".\"select\" (id int PRIMARY KEY, \"e\"\"mail ü\" rowan_types.email DEFAULT 'info@example.org', "
                            + "web rowan_types.uri UNIQUE, price rowan_types.money CHECK (price >= 0), cc rowan_types.email[], \"" + longName + "\" rowan_types.email)",
                    "CREATE INDEX ON \"Odd \"\"Schema\"\"\".\"select\" (\"e\"\"mail ü\")",
                    "INSERT INTO \"Odd \"\"Schema\"\"\".\"select\" VALUES "
                            + "(1, 'ann@example.org', 'https://example.org/a?b=c#d', 1234.50, '{a@b.org,c@d.org}', 'x@y.org'), "
                            + "(2, NULL, NULL, NULL, NULL, NULL), "
                            + "(3, 'Bob@例子.广告', 'mailto:bob@example.org', 0.001, '{}', NULL), "
                            + "(4, DEFAULT, 'http://x.org', 99999999999999.9999, '{{a@b.org},{c@d.org}}', NULL)",
                    "CREATE TABLE invoices (id int, issued date, total rowan_types.money, contact rowan_types.email) PARTITION BY RANGE (issued)",
                    "CREATE TABLE invoices_2023 PARTITION OF invoices FOR VALUES FROM ('2023-01-01') TO ('2024-01-01')",
                    "CREATE TABLE invoices_2024 PARTITION OF invoices FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                    "INSERT INTO invoices VALUES (1, '2023-05-01', -12.00, 'a@b.org'), (2, '2024-02-29', 5, 'c@d.org')",
                    "CREATE FOREIGN DATA WRAPPER test_fdw",
                    "CREATE SERVER test_server FOREIGN DATA WRAPPER test_fdw",
                    "CREATE FOREIGN TABLE remote_contacts (e rowan_types.email) SERVER test_server");
            List<String> before = userRows(c);

            List<ColumnUse> expected = List.of(
                    new ColumnUse("Odd \"Schema\"", "select", "e\"mail ü", "rowan_types.email", "text"),
                    new ColumnUse("Odd \"Schema\"", "select", "web", "rowan_types.uri", "text"),
                    new ColumnUse("Odd \"Schema\"", "select", "price", "rowan_types.money", "numeric"),
                    new ColumnUse("Odd \"Schema\"", "select", "cc", "rowan_types.email[]", "text[]"),
                    new ColumnUse("Odd \"Schema\"", "select", longName, "rowan_types.email", "text"),
                    new ColumnUse("public", "invoices", "total", "rowan_types.money", "numeric"),
                    new ColumnUse("public", "invoices", "contact", "rowan_types.email", "text"),
                    new ColumnUse("public", "invoices_2023", "total", "rowan_types.money", "numeric"),
                    new ColumnUse("public", "invoices_2023", "contact", "rowan_types.email", "text"),
                    new ColumnUse("public", "invoices_2024", "total", "rowan_types.money", "numeric"),
                    new ColumnUse("public", "invoices_2024", "contact", "rowan_types.email", "text"),
                    new ColumnUse("public", "remote_contacts", "e", "rowan_types.email", "text"));
            assertEquals(expected, schema.removalPreview(c));

            assertEquals(expected, schema.remove(c, false));

            assertEquals(before, userRows(c));
            assertEquals(List.of("id integer", "e\"mail ü text", "web text", "price numeric", "cc text[]", longName + " text"),
                    Sql.column(c, "SELECT attname || ' ' || format_type(atttypid, atttypmod) FROM pg_attribute "
                            + "WHERE attrelid = '\"Odd \"\"Schema\"\"\".\"select\"'::regclass AND attnum > 0 ORDER BY attnum"));
            assertEquals(List.of("contact text", "contact text", "contact text", "e text", "total numeric", "total numeric", "total numeric"),
                    Sql.column(c, "SELECT attname || ' ' || format_type(atttypid, atttypmod) FROM pg_attribute "
                            + "WHERE attrelid IN ('invoices'::regclass, 'invoices_2023'::regclass, 'invoices_2024'::regclass, "
                            + "'remote_contacts'::regclass) AND attname IN ('total', 'contact', 'e') ORDER BY 1"));
            assertEquals("'info@example.org'::text", Sql.one(c, "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef "
                    + "WHERE adrelid = '\"Odd \"\"Schema\"\"\".\"select\"'::regclass"));
            assertEquals(List.of(), rowanLeftovers(c));
            assertEquals(State.NOT_INSTALLED, schema.status(c).state());
        }
    }

    @Test
    void removalLeavesAloneADatabaseWhereRowanNeverInstalledItsSchemas() throws SQLException {
        try (Connection c = freshDatabase(PostgresVersions.DEFAULT)) {
            Sql.run(c, "CREATE SCHEMA rowan", "CREATE FUNCTION rowan.mine() RETURNS int LANGUAGE sql RETURN 1");
            List<String> before = snapshot(c);

            assertEquals(List.of(), schema.remove(c, false));

            assertEquals(before, snapshot(c));
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource(MAJORS)
    void keepingTheSchemasConvertsNothingAndKeepsThem(int major) throws SQLException {
        try (Connection c = freshDatabase(major)) {
            schema.install(c, ROWAN_VERSION);
            Sql.run(c, "CREATE TABLE people (id int, email rowan_types.email, homepage rowan_types.uri)",
                    "INSERT INTO people VALUES (1, 'ann@example.org', 'https://example.org')");
            List<String> before = snapshot(c);

            assertEquals(List.of(), schema.remove(c, true));

            assertEquals(before, snapshot(c));
            assertEquals(State.CURRENT, schema.status(c).state());
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource(MAJORS)
    void removalIsRefusedWhileAViewUsesARowanFunctionAndChangesNothing(int major) throws SQLException {
        try (Connection c = freshDatabase(major)) {
            schema.install(c, ROWAN_VERSION);
            Sql.run(c, "CREATE TABLE people (id int, email rowan_types.email, raw text)",
                    "INSERT INTO people VALUES (1, 'ann@example.org', ' Bob <bob@example.org>')",
                    "CREATE VIEW clean_people AS SELECT id, rowan.cast_to_email(raw) AS email FROM people");
            List<String> before = snapshot(c);

            RemovalRefusedException refused = assertThrows(RemovalRefusedException.class, () -> schema.remove(c, false));

            assertTrue(refused.dependencies().contains(new Dependency("view public.clean_people", "function rowan.cast_to_email(text)")),
                    refused.dependencies().toString());
            assertTrue(refused.getMessage().contains("view public.clean_people depends on function rowan.cast_to_email(text)"), refused.getMessage());
            assertEquals(before, snapshot(c));
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource(MAJORS)
    void removalIsRefusedWhileAColumnDefaultCallsARowanFunction(int major) throws SQLException {
        try (Connection c = freshDatabase(major)) {
            schema.install(c, ROWAN_VERSION);
            Sql.run(c, "CREATE TABLE signups (id int, email text DEFAULT rowan.cast_to_email('Nobody@Example.org'))");
            List<String> before = snapshot(c);

            RemovalRefusedException refused = assertThrows(RemovalRefusedException.class, () -> schema.remove(c, false));

            assertEquals(List.of(new Dependency("default value for public.signups.email", "function rowan.cast_to_email(text)")),
                    refused.dependencies());
            assertEquals(before, snapshot(c));
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource(MAJORS)
    void removalIsRefusedWhileAViewReadsAColumnItWouldConvert(int major) throws SQLException {
        try (Connection c = freshDatabase(major)) {
            schema.install(c, ROWAN_VERSION);
            Sql.run(c, "CREATE TABLE people (id int, email rowan_types.email)",
                    "INSERT INTO people VALUES (1, 'ann@example.org')",
                    "CREATE VIEW people_view AS SELECT id, email FROM people",
                    "CREATE VIEW mail_domains AS SELECT split_part(email, '@', 2) AS domain FROM people");
            List<String> before = snapshot(c);

            RemovalRefusedException refused = assertThrows(RemovalRefusedException.class, () -> schema.remove(c, false));

            assertEquals(List.of(new Dependency("view public.mail_domains", "table column public.people.email"),
                            new Dependency("view public.people_view", "table column public.people.email"),
                            new Dependency("view public.people_view", "type rowan_types.email")),
                    refused.dependencies());
            assertEquals(before, snapshot(c));
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource(MAJORS)
    void aFailedDropUndoesTheConversionsBeforeIt(int major) throws SQLException {
        try (Connection c = freshDatabase(major)) {
            schema.install(c, ROWAN_VERSION);
            Sql.run(c, "CREATE TABLE people (id int, email rowan_types.email)",
                    "INSERT INTO people VALUES (1, 'ann@example.org')",
                    "CREATE TABLE rowan.notes (note text)"); // a user's table inside Rowan's schema: only DROP SCHEMA notices
            List<String> before = snapshot(c);

            RemovalRefusedException refused = assertThrows(RemovalRefusedException.class, () -> schema.remove(c, false));

            assertEquals(List.of(new Dependency("table rowan.notes", "schema rowan")), refused.dependencies());
            assertEquals(before, snapshot(c));
            assertEquals("rowan_types.email", Sql.one(c, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                    + "WHERE attrelid = 'people'::regclass AND attname = 'email'"));
        }
    }

    @Test
    void aDefaultWithAnExplicitCastToARowanTypeStopsTheRemovalAtTheDrop() throws SQLException {
        try (Connection c = freshDatabase(PostgresVersions.DEFAULT)) {
            schema.install(c, ROWAN_VERSION);
            // Converting the column keeps 'x'::rowan_types.email as its default; only DROP DOMAIN finds that out.
            Sql.run(c, "CREATE TABLE people (id int, email rowan_types.email DEFAULT 'x@example.org'::rowan_types.email)");
            List<String> before = snapshot(c);

            RemovalRefusedException refused = assertThrows(RemovalRefusedException.class, () -> schema.remove(c, false));

            assertEquals(List.of(new Dependency("default value for column email of table people", "type rowan_types.email")),
                    refused.dependencies());
            assertEquals(before, snapshot(c));
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource(MAJORS)
    void aSchemaWrittenByANewerRowanIsReportedAndLeftUntouchedByInstall(int major) throws SQLException {
        try (Connection c = freshDatabase(major)) {
            schema.install(c, ROWAN_VERSION);
            Sql.run(c, "INSERT INTO rowan.schema_history VALUES (99, 'from the future', 'x', '9.0.0', 0)");
            List<String> before = snapshot(c);

            RowanSchemaStatus status = schema.status(c);
            assertEquals(new RowanSchemaStatus(State.NEEDS_NEWER_ROWAN, 99, "9.0.0", 3), status);
            assertTrue(status.describe().contains("needs a newer Rowan"), status.describe());

            Migrations.NewerSchemaException e = assertThrows(Migrations.NewerSchemaException.class, () -> schema.install(c, ROWAN_VERSION));
            assertEquals(99, e.version);
            assertEquals(before, snapshot(c));
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource(MAJORS)
    void aSchemaWrittenByANewerRowanIsNotRemoved(int major) throws SQLException {
        try (Connection c = freshDatabase(major)) {
            schema.install(c, ROWAN_VERSION);
            Sql.run(c, "CREATE TABLE people (id int, email rowan_types.email)",
                    "INSERT INTO rowan.schema_history VALUES (99, 'from the future', 'x', '9.0.0', 0)");
            List<String> before = snapshot(c);

            RemovalRefusedException refused = assertThrows(RemovalRefusedException.class, () -> schema.remove(c, false));

            assertTrue(refused.getMessage().contains("needs a newer Rowan"), refused.getMessage());
            assertEquals(before, snapshot(c));
        }
    }

    /**
     * What a Rowan that knew only version 1 left behind: the history table as the migration runner
     * creates it (run with no migrations at all), then 1.sql applied and recorded as the runner does.
     */
    private static void installVersion1Only(Connection c, String rowanVersion) throws SQLException {
        assertEquals(0, new Migrations("db/no-migrations", "postgresql", RowanSchema.HISTORY_TABLE, RowanSchema.LOCK_KEY).migrate(c, rowanVersion, 0));
        Migrations.Migration first = new Migrations(RowanSchema.FOLDER, "postgresql", RowanSchema.HISTORY_TABLE, RowanSchema.LOCK_KEY).known().get(0);
        c.setAutoCommit(false);
        Sql.run(c, first.sql());
        try (PreparedStatement p = c.prepareStatement("INSERT INTO rowan.schema_history (version, description, checksum, rowan_version, applied_at) "
                + "VALUES (?, ?, ?, ?, 0)")) {
            p.setInt(1, first.version());
            p.setString(2, first.description());
            p.setString(3, first.checksum());
            p.setString(4, rowanVersion);
            p.executeUpdate();
        }
        c.commit();
        c.setAutoCommit(true);
    }

    /** Every Rowan object with its OID (re-created objects get new ones), the history, and every user column's type and data. */
    static List<String> snapshot(Connection c) throws SQLException {
        List<String> all = new ArrayList<>(Sql.column(c, """
                SELECT n.nspname || ' ' || x.kind || ' ' || x.name || ' ' || x.oid
                FROM (SELECT pronamespace AS ns, 'function' AS kind, oid::regprocedure::text AS name, oid FROM pg_proc
                      UNION ALL SELECT typnamespace, 'type', typname, oid FROM pg_type
                      UNION ALL SELECT relnamespace, 'relation', relname, oid FROM pg_class) x
                JOIN pg_namespace n ON n.oid = x.ns
                WHERE n.nspname IN ('rowan', 'rowan_types')
                UNION ALL SELECT 'schema ' || nspname FROM pg_namespace WHERE nspname IN ('rowan', 'rowan_types')
                ORDER BY 1
                """));
        if (Sql.one(c, "SELECT to_regclass('rowan.schema_history')") != null) {
            all.addAll(Sql.column(c, "SELECT h::text FROM rowan.schema_history h ORDER BY version"));
        }
        all.addAll(userData(c));
        return all;
    }

    /** Every user table's and view's columns with their types, and its rows as text. */
    static List<String> userData(Connection c) throws SQLException {
        return userTables(c, true);
    }

    /** Every user table's and view's rows as text: what removal must keep, whatever the types become. */
    static List<String> userRows(Connection c) throws SQLException {
        return userTables(c, false);
    }

    private static List<String> userTables(Connection c, boolean withTypes) throws SQLException {
        List<String> all = new ArrayList<>();
        List<String> oids = Sql.column(c, """
                SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p', 'v') AND n.nspname NOT IN ('rowan', 'rowan_types', 'pg_catalog', 'information_schema')
                  AND n.nspname NOT LIKE 'pg\\_%' ORDER BY n.nspname, c.relname
                """);
        for (String oid : oids) {
            String table = Sql.one(c, "SELECT " + Long.parseLong(oid) + "::regclass::text");
            all.add(table + (withTypes ? ": " + Sql.one(c, "SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) "
                    + "FROM pg_attribute WHERE attrelid = " + Long.parseLong(oid) + " AND attnum > 0 AND NOT attisdropped") : ""));
            all.addAll(Sql.column(c, "SELECT t::text FROM " + table + " t ORDER BY 1"));
        }
        return all;
    }

    /** Anything of Rowan left in the catalog, by schema or by name, including objects orphaned from their schema. */
    static List<String> rowanLeftovers(Connection c) throws SQLException {
        return Sql.column(c, """
                SELECT 'schema ' || nspname FROM pg_namespace WHERE nspname IN ('rowan', 'rowan_types')
                UNION ALL SELECT 'function ' || proname FROM pg_proc
                    WHERE proname IN ('cast_to_email', 'cast_to_uri', 'cast_to_money', 'cast_to_numeric', 'cast_to_boolean', 'cast_to_date',
                                      'is_email', 'is_uri', 'parse_number', 'trim_to_null', 'invalid_input')
                       OR pronamespace NOT IN (SELECT oid FROM pg_namespace)
                UNION ALL SELECT 'type ' || typname FROM pg_type
                    WHERE typname IN ('email', '_email', 'uri', '_uri', 'money', '_money') AND typnamespace <> 'pg_catalog'::regnamespace
                       OR typnamespace NOT IN (SELECT oid FROM pg_namespace)
                UNION ALL SELECT 'relation ' || relname FROM pg_class
                    WHERE relname LIKE 'schema_history%' OR relnamespace NOT IN (SELECT oid FROM pg_namespace)
                """);
    }
}
