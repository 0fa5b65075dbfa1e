package dev.rowan.userdb;

import static dev.rowan.postgres.Identifiers.quote;

import dev.rowan.postgres.Identifiers;

import dev.rowan.migrations.Migrations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Installs, upgrades and removes the Rowan schemas ({@code rowan}, {@code rowan_types}) in a user
 * database. The SQL lives in {@code db/rowan-schema/N.sql}; the installed version is recorded in
 * {@code rowan.schema_history} inside the database, so every Rowan instance that connects to it sees
 * the same truth, and a database written by a newer Rowan is refused rather than damaged.
 *
 * <p>Every change runs in one transaction under the same advisory lock: two instances never install
 * at once, and a connection lost midway leaves nothing behind.
 */
public final class RowanSchema {
    /** Distinct from the internal database's key: with the built-in PostgreSQL both may live in one database. */
    static final long LOCK_KEY = 0x726f77616e2d7573L; // "rowan-us"
    static final String FOLDER = "db/rowan-schema";
    static final String HISTORY_TABLE = "rowan.schema_history";
    private static final List<String> SCHEMAS = List.of("rowan", "rowan_types");

    private final Migrations migrations = new Migrations(FOLDER, "postgresql", HISTORY_TABLE, LOCK_KEY);

    public RowanSchemaStatus status(Connection c) throws SQLException {
        List<Migrations.Applied> applied = migrations.applied(c);
        if (applied.isEmpty()) {
            return RowanSchemaStatus.of(0, null, migrations.latestKnown());
        }
        Migrations.Applied newest = applied.get(applied.size() - 1);
        return RowanSchemaStatus.of(newest.version(), newest.rowanVersion(), migrations.latestKnown());
    }

    /**
     * Installs or upgrades to this Rowan's version and returns how many versions were applied (0 when
     * already current, which makes it safe to call on every connect and start). Throws
     * {@link Migrations.NewerSchemaException} when a newer Rowan wrote the schemas; they are left as they are.
     */
    public int install(Connection c, String rowanVersion) throws SQLException {
        return migrations.migrate(c, rowanVersion, System.currentTimeMillis());
    }

    /** The user columns whose type is Rowan's, i.e. what {@link #remove} converts. */
    public List<ColumnUse> removalPreview(Connection c) throws SQLException {
        return conversions(c).stream().map(Conversion::use).toList();
    }

    /**
     * Takes Rowan out of the database without losing data: converts each column of a Rowan type to
     * the type beneath it (text or numeric; arrays stay arrays) keeping every value, then drops each
     * Rowan object by name. With {@code keepSchemas} the database is left exactly as it is (Rowan only
     * forgets it), so there is nothing to convert either.
     *
     * <p>All in one transaction. When a user object would break (a view or a column default calling a
     * Rowan function, a view over a column to convert, …) nothing is changed and
     * {@link RemovalRefusedException} lists what depends on what. Nothing is ever dropped with CASCADE.
     *
     * @return the columns converted
     */
    public List<ColumnUse> remove(Connection c, boolean keepSchemas) throws SQLException {
        if (keepSchemas) {
            return List.of();
        }
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_catalog.pg_advisory_xact_lock(?)")) {
                lock.setLong(1, LOCK_KEY);
                lock.execute();
            }
            RowanSchemaStatus status = status(c);
            if (status.state() == RowanSchemaStatus.State.NOT_INSTALLED) {
                c.rollback();
                return List.of(); // whatever is called rowan here, Rowan did not put it there
            }
            if (status.state() == RowanSchemaStatus.State.NEEDS_NEWER_ROWAN) {
                throw new RemovalRefusedException("Rowan's schemas were not removed: " + status.describe()
                        + ". Remove the database with that Rowan, or a newer one.", List.of());
            }
            List<Conversion> conversions = conversions(c);
            List<Dependency> blockers = blockers(c);
            if (!blockers.isEmpty()) {
                throw RemovalRefusedException.dependentsExist(blockers);
            }
            try (Statement s = c.createStatement()) {
                for (Conversion conversion : conversions) {
                    if (conversion.alterSql() != null) {
                        s.execute(conversion.alterSql());
                    }
                }
                for (String drop : drops(c)) {
                    s.execute(drop);
                }
            } catch (SQLException e) {
                List<Dependency> found = dependenciesIn(e);
                if (found.isEmpty()) {
                    throw e;
                }
                RemovalRefusedException refused = RemovalRefusedException.dependentsExist(found);
                refused.initCause(e);
                throw refused;
            }
            c.commit();
            return conversions.stream().map(Conversion::use).toList();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c, e);
            throw e;
        } finally {
            if (!c.isClosed()) {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    /** A column to convert, and the ALTER that does it (null for a column that its parent's ALTER reaches). */
    private record Conversion(ColumnUse use, String alterSql) {
    }

    /**
     * Which columns removal converts, shared by the preview and the blockers query so they cannot
     * disagree: live columns of tables (plain, partitioned, foreign) outside the system and Rowan
     * schemas and other sessions' temporary ones ({@code a} = pg_attribute, {@code c} = pg_class,
     * {@code n} = pg_namespace).
     */
    private static final String USER_TABLE_COLUMN = """
            a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f')
              AND n.nspname NOT IN ('rowan', 'rowan_types', 'pg_catalog', 'information_schema')
              AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'""";

    /**
     * The base type is found by walking down domains (a Rowan domain may one day sit on another). Only
     * tables hold data to convert: views, composite types and other sessions' temporary tables using a
     * Rowan type are reported by {@link #blockers} instead.
     */
    private static final String COLUMNS_SQL = """
            WITH RECURSIVE rowan_domains (domain_oid, base_oid) AS (
                SELECT t.oid, t.typbasetype
                FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
                WHERE n.nspname = 'rowan_types' AND t.typtype = 'd'
              UNION ALL
                SELECT r.domain_oid, t.typbasetype
                FROM rowan_domains r JOIN pg_catalog.pg_type t ON t.oid = r.base_oid
                WHERE t.typtype = 'd'
            )
            SELECT n.nspname, c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
                   bn.nspname, b.typname, pg_catalog.format_type(b.oid, NULL), t.oid <> d.domain_oid, c.relkind, a.attinhcount > 0
            FROM pg_catalog.pg_attribute a
            JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
            JOIN rowan_domains d ON d.domain_oid = CASE WHEN t.typtype = 'd' THEN t.oid ELSE t.typelem END
            JOIN pg_catalog.pg_type b ON b.oid = d.base_oid AND b.typtype <> 'd'
            JOIN pg_catalog.pg_namespace bn ON bn.oid = b.typnamespace
            WHERE {{USER_TABLE_COLUMN}}
            ORDER BY n.nspname, c.relname, a.attnum
            """.replace("{{USER_TABLE_COLUMN}}", USER_TABLE_COLUMN);

    private static List<Conversion> conversions(Connection c) throws SQLException {
        List<Conversion> list = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(COLUMNS_SQL); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                String schema = rs.getString(1);
                String table = rs.getString(2);
                String column = rs.getString(3);
                boolean array = rs.getBoolean(8);
                String relkind = rs.getString(9);
                boolean inherited = rs.getBoolean(10);
                ColumnUse use = new ColumnUse(schema, table, column, rs.getString(4), rs.getString(7) + (array ? "[]" : ""));
                String base = quote(rs.getString(5)) + "." + quote(rs.getString(6)) + (array ? "[]" : "");
                String alter = null;
                if (!inherited) {
                    // Foreign tables hold no data here and take no USING; the assignment cast from a domain is implicit.
                    alter = relkind.equals("f")
                            ? "ALTER FOREIGN TABLE " + quote(schema) + "." + quote(table) + " ALTER COLUMN " + quote(column) + " TYPE " + base
                            : "ALTER TABLE " + quote(schema) + "." + quote(table) + " ALTER COLUMN " + quote(column)
                                    + " TYPE " + base + " USING " + quote(column) + "::" + base;
                }
                list.add(new Conversion(use, alter));
            }
        }
        return list;
    }

    /**
     * What would stop the removal, found before anything is changed: objects outside Rowan's schemas
     * that depend on a Rowan object (other than the table columns about to be converted), and objects
     * that make ALTER COLUMN … TYPE fail on those columns (views, rules, triggers, policies,
     * publications, generated columns). A view is named as itself, not as its internal rule or columns.
     */
    private static final String BLOCKERS_SQL = """
            WITH rowan_ns AS (
                SELECT oid FROM pg_catalog.pg_namespace WHERE nspname IN ('rowan', 'rowan_types')
            ), rowan_objects (classid, objid) AS (
                SELECT 'pg_catalog.pg_namespace'::pg_catalog.regclass, oid FROM rowan_ns
                UNION ALL SELECT 'pg_catalog.pg_proc'::pg_catalog.regclass, oid FROM pg_catalog.pg_proc WHERE pronamespace IN (SELECT oid FROM rowan_ns)
                UNION ALL SELECT 'pg_catalog.pg_type'::pg_catalog.regclass, oid FROM pg_catalog.pg_type WHERE typnamespace IN (SELECT oid FROM rowan_ns)
                UNION ALL SELECT 'pg_catalog.pg_class'::pg_catalog.regclass, oid FROM pg_catalog.pg_class WHERE relnamespace IN (SELECT oid FROM rowan_ns)
            ), converted (relid, attnum) AS (
                SELECT a.attrelid, a.attnum
                FROM pg_catalog.pg_attribute a
                JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
                JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
                JOIN pg_catalog.pg_type d ON d.oid = CASE WHEN t.typtype = 'd' THEN t.oid ELSE t.typelem END
                WHERE d.typnamespace IN (SELECT oid FROM rowan_ns) AND d.typtype = 'd' AND {{USER_TABLE_COLUMN}}
            ), on_rowan AS (
                SELECT d.classid, d.objid, d.objsubid, pg_catalog.pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid) AS depends_on
                FROM pg_catalog.pg_depend d
                JOIN rowan_objects r ON r.classid = d.refclassid AND r.objid = d.refobjid
                WHERE d.deptype IN ('n', 'a')
                  AND NOT (d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND (d.objid, d.objsubid) IN (SELECT relid, attnum FROM converted))
                  -- a converted column's default such as 'x' (stored as 'x'::rowan_types.email) is converted with it
                  AND NOT (d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND d.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass
                           AND EXISTS (SELECT 1 FROM pg_catalog.pg_attrdef x JOIN converted cc ON cc.relid = x.adrelid AND cc.attnum = x.adnum
                                       WHERE x.oid = d.objid))
                  AND coalesce((CASE d.classid
                         WHEN 'pg_catalog.pg_proc'::pg_catalog.regclass THEN (SELECT pronamespace FROM pg_catalog.pg_proc WHERE oid = d.objid)
                         WHEN 'pg_catalog.pg_type'::pg_catalog.regclass THEN (SELECT typnamespace FROM pg_catalog.pg_type WHERE oid = d.objid)
                         WHEN 'pg_catalog.pg_class'::pg_catalog.regclass THEN (SELECT relnamespace FROM pg_catalog.pg_class WHERE oid = d.objid)
                         WHEN 'pg_catalog.pg_constraint'::pg_catalog.regclass THEN (SELECT connamespace FROM pg_catalog.pg_constraint WHERE oid = d.objid)
                         WHEN 'pg_catalog.pg_attrdef'::pg_catalog.regclass THEN (SELECT c.relnamespace FROM pg_catalog.pg_attrdef x
                             JOIN pg_catalog.pg_class c ON c.oid = x.adrelid WHERE x.oid = d.objid)
                         WHEN 'pg_catalog.pg_rewrite'::pg_catalog.regclass THEN (SELECT c.relnamespace FROM pg_catalog.pg_rewrite x
                             JOIN pg_catalog.pg_class c ON c.oid = x.ev_class WHERE x.oid = d.objid)
                         WHEN 'pg_catalog.pg_trigger'::pg_catalog.regclass THEN (SELECT c.relnamespace FROM pg_catalog.pg_trigger x
                             JOIN pg_catalog.pg_class c ON c.oid = x.tgrelid WHERE x.oid = d.objid)
                       END) NOT IN (SELECT oid FROM rowan_ns), true)
            ), on_converted AS (
                SELECT d.classid, d.objid, d.objsubid, o.type || ' ' || o.identity AS depends_on
                FROM pg_catalog.pg_depend d
                JOIN converted cc ON d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid = cc.relid AND d.refobjsubid = cc.attnum
                CROSS JOIN LATERAL pg_catalog.pg_identify_object(d.refclassid, d.refobjid, d.refobjsubid) o
                WHERE d.classid IN ('pg_catalog.pg_rewrite'::pg_catalog.regclass, 'pg_catalog.pg_trigger'::pg_catalog.regclass,
                                    'pg_catalog.pg_policy'::pg_catalog.regclass, 'pg_catalog.pg_publication_rel'::pg_catalog.regclass)
                   OR (d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass
                       AND (SELECT adnum FROM pg_catalog.pg_attrdef WHERE oid = d.objid) <> cc.attnum)
            ), found AS (
                SELECT * FROM on_rowan UNION SELECT * FROM on_converted
            )
            SELECT DISTINCT o.type || ' ' || o.identity, f.depends_on
            FROM found f
            CROSS JOIN LATERAL (SELECT CASE
                WHEN f.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass
                    THEN (SELECT ev_class FROM pg_catalog.pg_rewrite WHERE oid = f.objid AND rulename = '_RETURN')
                WHEN f.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                    THEN (SELECT oid FROM pg_catalog.pg_class WHERE oid = f.objid AND relkind IN ('v', 'm'))
                END AS view_oid) v
            CROSS JOIN LATERAL pg_catalog.pg_identify_object(
                CASE WHEN v.view_oid IS NULL THEN f.classid ELSE 'pg_catalog.pg_class'::pg_catalog.regclass END,
                coalesce(v.view_oid, f.objid),
                CASE WHEN v.view_oid IS NULL THEN f.objsubid ELSE 0 END) o
            ORDER BY 1, 2
            """.replace("{{USER_TABLE_COLUMN}}", USER_TABLE_COLUMN);

    private static List<Dependency> blockers(Connection c) throws SQLException {
        List<Dependency> list = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(BLOCKERS_SQL); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                list.add(new Dependency(rs.getString(1), rs.getString(2)));
            }
        }
        return list;
    }

    private static final String FUNCTIONS_SQL = """
            SELECT n.nspname, p.proname, pg_catalog.oidvectortypes(p.proargtypes),
                   EXISTS (SELECT 1 FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_constraint k ON k.oid = d.objid
                           WHERE d.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND k.contypid <> 0
                             AND d.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.refobjid = p.oid)
            FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname IN ('rowan', 'rowan_types') AND p.prokind = 'f'
            ORDER BY 1, 2, 3
            """;

    private static final String DOMAINS_SQL = """
            SELECT n.nspname, t.typname
            FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname IN ('rowan', 'rowan_types') AND t.typtype = 'd'
            ORDER BY 1, 2
            """;

    /**
     * The DROP statements, in the only order that works without CASCADE: functions other than the
     * domains' checks (one statement, so they may use each other), the domains (their array types go
     * with them), the checks, the history table, and the schemas, which RESTRICT refuses to drop if
     * anything else is left in them.
     */
    private static List<String> drops(Connection c) throws SQLException {
        List<String> usedByDomains = new ArrayList<>();
        List<String> others = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(FUNCTIONS_SQL); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                String function = quote(rs.getString(1)) + "." + quote(rs.getString(2)) + "(" + rs.getString(3) + ")";
                (rs.getBoolean(4) ? usedByDomains : others).add(function);
            }
        }
        List<String> domains = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(DOMAINS_SQL); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                domains.add(quote(rs.getString(1)) + "." + quote(rs.getString(2)));
            }
        }
        List<String> drops = new ArrayList<>();
        if (!others.isEmpty()) {
            drops.add("DROP FUNCTION " + String.join(", ", others) + " RESTRICT");
        }
        if (!domains.isEmpty()) {
            drops.add("DROP DOMAIN " + String.join(", ", domains) + " RESTRICT");
        }
        if (!usedByDomains.isEmpty()) {
            drops.add("DROP FUNCTION " + String.join(", ", usedByDomains) + " RESTRICT");
        }
        drops.add("DROP TABLE IF EXISTS " + quote("rowan") + "." + quote("schema_history") + " RESTRICT");
        drops.add("DROP SCHEMA IF EXISTS " + String.join(", ", SCHEMAS.stream().map(Identifiers::quote).toList()) + " RESTRICT");
        return drops;
    }

    private static final Pattern DEPENDS_ON = Pattern.compile("^(.+) depends on (.+)$");

    /**
     * The "X depends on Y" lines PostgreSQL puts in the detail of 2BP01 (dependent objects still exist)
     * and of 0A000 (a column used by a view cannot change type): the safety net for whatever the
     * catalog query did not foresee, such as a user's table left inside the rowan schema.
     */
    private static List<Dependency> dependenciesIn(SQLException e) {
        List<Dependency> list = new ArrayList<>();
        if (!"2BP01".equals(e.getSQLState()) && !"0A000".equals(e.getSQLState())) {
            return list;
        }
        String detail = e instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null
                ? p.getServerErrorMessage().getDetail() : null;
        if (detail == null) {
            return list;
        }
        for (String line : detail.split("\n")) {
            Matcher m = DEPENDS_ON.matcher(line.strip());
            if (m.matches()) {
                list.add(new Dependency(m.group(1), m.group(2)));
            } else if (!line.isBlank()) {
                list.add(new Dependency(line.strip(), "Rowan's schemas"));
            }
        }
        return list;
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            if (!c.isClosed()) {
                c.rollback();
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
