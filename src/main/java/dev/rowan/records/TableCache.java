package dev.rowan.records;

import dev.rowan.Problem;
import dev.rowan.catalog.Catalog;
import dev.rowan.catalog.Column;
import dev.rowan.catalog.ForeignKey;
import dev.rowan.catalog.Table;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tables as last read from the catalog, per database, so a page costs one catalog round trip instead
 * of the five that reading a table takes. Nothing stale is ever used: every request first reads each
 * table's fingerprint, the transaction ids (xmin) of its catalog rows — pg_class, its schema's
 * pg_namespace row, its pg_attribute, pg_constraint and pg_attrdef rows. Any ALTER TABLE, rename,
 * GRANT, new constraint or default rewrites at least one of those rows, which changes the fingerprint,
 * and the table is read again. (Granting a role membership changes no such row; PostgreSQL then still
 * refuses what the role may not do, and the answer is a 403.) The fingerprint lives in the user
 * database, not in this instance, so a change made through another Rowan instance, or directly in
 * SQL, is seen on the very next request (LoadBalancerIT checks it across two Rowan processes).
 */
final class TableCache {
    private static final int MAX_ENTRIES = 2000;

    /**
     * The fingerprints of some tables. A fixed number of oid placeholders (one statement for one
     * table, another for two, …) keeps PostgreSQL's generic plan as cheap as a custom one, so the
     * statement is planned once per connection, not on every request.
     */
    private static SqlFragment fingerprints(Collection<Long> oids) {
        List<SqlFragment> params = new ArrayList<>();
        for (long oid : oids) params.add(SqlFragment.param(oid));
        return SqlFragment.sql("SELECT c.oid, c.xmin::text, n.xmin::text,"
                + " ARRAY(SELECT a.xmin FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 ORDER BY a.attnum)::text,"
                + " ARRAY(SELECT k.xmin FROM pg_catalog.pg_constraint k WHERE k.conrelid = c.oid ORDER BY k.oid)::text,"
                + " ARRAY(SELECT d.xmin FROM pg_catalog.pg_attrdef d WHERE d.adrelid = c.oid ORDER BY d.oid)::text"
                + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid IN (")
                .append(SqlFragment.join(", ", params)).append(")");
    }

    private static Map<Long, String> fingerprints(ResultSet rs) throws SQLException {
        Map<Long, String> out = new HashMap<>();
        while (rs.next()) {
            out.put(rs.getLong(1), String.join("/", rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)));
        }
        return out;
    }

    /**
     * Per column: the type to cast to (no type modifier), an array's element type, whether the type
     * sorts (a default b-tree operator class for the type, its domain's base type or an array's
     * element type, directly or through an implicit binary-compatible cast as varchar has to text;
     * enums and ranges always do), and whether its input function accepts text at all.
     */
    private static final String DETAILS = "WITH RECURSIVE chain(attnum, typ, depth) AS ("
            + "   SELECT a.attnum, a.atttypid, 0 FROM pg_catalog.pg_attribute a WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped"
            + " UNION ALL"
            + "   SELECT ch.attnum, CASE WHEN y.typtype = 'd' THEN y.typbasetype ELSE y.typelem END, ch.depth + 1"
            + "   FROM chain ch JOIN pg_catalog.pg_type y ON y.oid = ch.typ"
            + "   WHERE ch.depth < 8 AND (y.typtype = 'd' OR (y.typcategory = 'A' AND y.typelem <> 0 AND y.typlen = -1))"
            + "), leaf AS (SELECT DISTINCT ON (attnum) attnum, typ FROM chain ORDER BY attnum, depth DESC)"
            + " SELECT a.attnum, pg_catalog.quote_ident(tn.nspname) || '.' || pg_catalog.quote_ident(t.typname),"
            + " (SELECT pg_catalog.quote_ident(en.nspname) || '.' || pg_catalog.quote_ident(e.typname)"
            + "    FROM pg_catalog.pg_type b JOIN pg_catalog.pg_type e ON e.oid = b.typelem JOIN pg_catalog.pg_namespace en ON en.oid = e.typnamespace"
            + "    WHERE b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END"
            + "      AND b.typcategory = 'A' AND b.typelem <> 0 AND b.typlen = -1),"
            + " y.typtype IN ('e', 'r', 'm') OR EXISTS (SELECT 1 FROM pg_catalog.pg_opclass o JOIN pg_catalog.pg_am m ON m.oid = o.opcmethod"
            + "   WHERE m.amname = 'btree' AND o.opcdefault AND (o.opcintype = y.oid OR EXISTS (SELECT 1 FROM pg_catalog.pg_cast k"
            + "     WHERE k.castsource = y.oid AND k.casttarget = o.opcintype AND k.castmethod = 'b' AND k.castcontext = 'i'))),"
            + " t.typtype <> 'p' AND t.typinput::text NOT IN ('pg_node_tree_in', 'pg_ndistinct_in', 'pg_dependencies_in', 'pg_mcv_list_in',"
            + "   'brin_bloom_summary_in', 'brin_minmax_multi_summary_in')"
            + " FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
            + " JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace"
            + " JOIN leaf l ON l.attnum = a.attnum JOIN pg_catalog.pg_type y ON y.oid = l.typ"
            + " WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped";

    private record Key(long database, long oid) {
    }

    private final Map<Key, TableInfo> entries = new ConcurrentHashMap<>();

    /**
     * The table {@code oid} (a 404 problem when it is gone or not readable), checked together with the
     * tables its foreign keys point at, which are then available from {@link Loaded#referenced}.
     */
    Loaded load(Connection c, long database, long oid) throws SQLException {
        Set<Long> wanted = new LinkedHashSet<>();
        wanted.add(oid);
        TableInfo cached = entries.get(new Key(database, oid));
        if (cached != null) {
            cached.table().foreignKeys().forEach(fk -> wanted.add(fk.referencedOid()));
        }
        Map<Long, TableInfo> found = fresh(c, database, wanted);
        TableInfo main = found.get(oid);
        if (main == null) {
            throw Catalog.tableNotFound(oid);
        }
        Set<Long> missing = new LinkedHashSet<>();
        for (ForeignKey fk : main.table().foreignKeys()) {
            if (!wanted.contains(fk.referencedOid())) missing.add(fk.referencedOid());
        }
        if (!missing.isEmpty()) {
            found.putAll(fresh(c, database, missing));
        }
        return new Loaded(main, found);
    }

    /**
     * The table and the tables its foreign keys refer to as last read, not checked: a read built from
     * them must run {@link #check} in the same round trip and be discarded unless it passes. Null
     * when any of them is not at hand.
     */
    Loaded cached(long database, long oid) {
        TableInfo main = entries.get(new Key(database, oid));
        if (main == null) return null;
        Map<Long, TableInfo> found = new HashMap<>();
        found.put(oid, main);
        for (ForeignKey fk : main.table().foreignKeys()) {
            TableInfo referenced = entries.get(new Key(database, fk.referencedOid()));
            if (referenced == null) return null;
            found.put(fk.referencedOid(), referenced);
        }
        return new Loaded(main, found);
    }

    /** Whether tables read earlier are still as they were. */
    interface Check {
        /** The query to run first, in the same round trip as the read it guards. */
        SqlFragment sql();

        /** Whether its result (the tables' fingerprints now) matches the tables the read was built from. */
        boolean passes(ResultSet rs) throws SQLException;
    }

    static Check check(Loaded loaded) {
        Map<Long, TableInfo> tables = loaded.tables();
        return new Check() {
            public SqlFragment sql() {
                return fingerprints(tables.keySet());
            }

            public boolean passes(ResultSet rs) throws SQLException {
                Map<Long, String> now = fingerprints(rs);
                return now.size() == tables.size()
                        && tables.entrySet().stream().allMatch(e -> e.getValue().fingerprint().equals(now.get(e.getKey())));
            }
        };
    }

    /** Several tables at once (those that refer to a record); the unreadable ones are left out. */
    Map<Long, TableInfo> loadAll(Connection c, long database, Set<Long> oids) throws SQLException {
        return fresh(c, database, oids);
    }

    /** A table and the tables its foreign keys refer to (those the role can read). */
    record Loaded(TableInfo main, Map<Long, TableInfo> tables) {
        TableInfo referenced(ForeignKey fk) {
            return tables.get(fk.referencedOid());
        }
    }

    private Map<Long, TableInfo> fresh(Connection c, long database, Set<Long> oids) throws SQLException {
        if (oids.isEmpty()) return Map.of(); // the fingerprint query needs at least one table
        Map<Long, String> fingerprints;
        try (PreparedStatement ps = fingerprints(oids).prepare(c); ResultSet rs = ps.executeQuery()) {
            fingerprints = fingerprints(rs);
        }
        Map<Long, TableInfo> out = new HashMap<>();
        for (long oid : oids) {
            Key key = new Key(database, oid);
            String fingerprint = fingerprints.get(oid);
            if (fingerprint == null) {
                entries.remove(key);
                continue;
            }
            TableInfo info = entries.get(key);
            if (info == null || !info.fingerprint().equals(fingerprint)) {
                try {
                    info = read(c, oid, fingerprint);
                } catch (Problem notReadable) {
                    entries.remove(key);
                    continue;
                }
                if (entries.size() >= MAX_ENTRIES) entries.clear();
                entries.put(key, info);
            }
            out.put(oid, info);
        }
        return out;
    }

    /** Reads the table after its fingerprint, so a change in between makes the next request read it again. */
    private static TableInfo read(Connection c, long oid, String fingerprint) throws SQLException {
        Table table = Catalog.table(c, oid);
        Map<Integer, TableInfo.Details> details = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(DETAILS)) {
            ps.setLong(1, oid);
            ps.setLong(2, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    details.put(rs.getInt(1), new TableInfo.Details(rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getBoolean(5)));
                }
            }
        }
        return new TableInfo(table, Map.copyOf(details), table.primaryKey(), ForeignKeys.displayColumn(table.columns()), fingerprint);
    }
}
