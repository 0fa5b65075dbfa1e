package dev.rowan.structure;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What else would go if something were dropped: the objects that depend on it (views, foreign keys
 * of other tables, functions with SQL bodies, …) and, transitively, on those, read from pg_depend as
 * PostgreSQL's own DROP … RESTRICT sees them. Parts of the thing itself (a table's own constraints,
 * indexes and defaults) are not listed: they go with it and nothing else notices.
 */
final class Dependents {
    /**
     * One dependent object, in PostgreSQL's own words: {@code type} e.g. "view", "table constraint",
     * {@code identity} e.g. "orders_customer_id_fkey on public.orders", {@code description} both together, e.g.
     * "table constraint orders_customer_id_fkey on public.orders"; {@code table}: the table or view it is
     * or belongs to, if any (its OID, to link to).
     */
    record Dependent(String type, String schema, String name, String identity, String description, Long table) {
    }

    /**
     * pg_depend's normal dependencies, with a view's rewrite rule standing for the view itself (the
     * rule is what depends on the tables a view reads, but it is the view that people know and drop).
     */
    private static final String EDGES = """
            edges AS (
                SELECT d.refclassid, d.refobjid,
                       CASE WHEN r.oid IS NULL THEN d.classid ELSE 'pg_catalog.pg_class'::pg_catalog.regclass::oid END AS classid,
                       coalesce(r.ev_class, d.objid) AS objid,
                       CASE WHEN r.oid IS NULL THEN d.objsubid ELSE 0 END AS objsubid,
                       d.refobjsubid
                FROM pg_catalog.pg_depend d
                LEFT JOIN pg_catalog.pg_rewrite r ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND r.oid = d.objid
                WHERE d.deptype = 'n'
            )""";

    /** Dependents of the start set, then theirs, a few levels deep (a view on a view on a table). */
    private static final String FOUND = """
            found (classid, objid, objsubid, depth) AS (
                SELECT e.classid, e.objid, e.objsubid, 1 FROM edges e JOIN start s
                    ON e.refclassid = s.classid AND e.refobjid = s.objid AND (s.objsubid = 0 OR e.refobjsubid = s.objsubid)
                UNION
                SELECT e.classid, e.objid, e.objsubid, f.depth + 1 FROM found f JOIN edges e
                    ON e.refclassid = f.classid AND e.refobjid = f.objid
                WHERE f.depth < 8
            )""";

    /** The table or view each found object is or belongs to, to tell a table's own parts from other objects. */
    private static final String DESCRIBED = """
            described AS (
                SELECT DISTINCT f.classid, f.objid, f.objsubid,
                       CASE f.classid
                           WHEN 'pg_catalog.pg_class'::pg_catalog.regclass THEN f.objid
                           WHEN 'pg_catalog.pg_constraint'::pg_catalog.regclass
                               THEN (SELECT nullif(k.conrelid, 0) FROM pg_catalog.pg_constraint k WHERE k.oid = f.objid)
                           WHEN 'pg_catalog.pg_trigger'::pg_catalog.regclass
                               THEN (SELECT g.tgrelid FROM pg_catalog.pg_trigger g WHERE g.oid = f.objid)
                           WHEN 'pg_catalog.pg_attrdef'::pg_catalog.regclass
                               THEN (SELECT a.adrelid FROM pg_catalog.pg_attrdef a WHERE a.oid = f.objid)
                           WHEN 'pg_catalog.pg_policy'::pg_catalog.regclass
                               THEN (SELECT p.polrelid FROM pg_catalog.pg_policy p WHERE p.oid = f.objid)
                       END AS relation
                FROM found f
            )""";

    private Dependents() {
    }

    /** What depends on a table or view, apart from its own parts. */
    static List<Dependent> ofRelation(Connection c, long oid) throws SQLException {
        return find(c, "SELECT 'pg_catalog.pg_class'::pg_catalog.regclass::oid, CAST(? AS oid), 0", List.of(oid),
                "x.relation IS DISTINCT FROM CAST(? AS oid)", List.of(oid));
    }

    /**
     * What depends on one column, apart from what PostgreSQL drops with it: the table's constraints
     * on that column (a foreign key of the same table that refers to it is still listed) and its default.
     */
    static List<Dependent> ofColumn(Connection c, long table, int attnum) throws SQLException {
        return find(c, "SELECT 'pg_catalog.pg_class'::pg_catalog.regclass::oid, CAST(? AS oid), CAST(? AS int)", List.of(table, attnum),
                "NOT (x.relation IS NOT DISTINCT FROM CAST(? AS oid) AND ("
                        + " (x.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass"
                        + "   AND CAST(? AS smallint) = ANY ((SELECT k.conkey FROM pg_catalog.pg_constraint k WHERE k.oid = x.objid)::smallint[]))"
                        + " OR (x.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass"
                        + "   AND (SELECT a.adnum FROM pg_catalog.pg_attrdef a WHERE a.oid = x.objid) = CAST(? AS smallint))))",
                List.of(table, attnum, attnum));
    }

    /** What depends on a constraint or on the index behind it (a foreign key of another table needs the unique index it points at). */
    static List<Dependent> ofConstraint(Connection c, long constraintOid) throws SQLException {
        return find(c, "SELECT 'pg_catalog.pg_constraint'::pg_catalog.regclass::oid, k.oid, 0 FROM pg_catalog.pg_constraint k WHERE k.oid = CAST(? AS oid)"
                        + " UNION ALL SELECT 'pg_catalog.pg_class'::pg_catalog.regclass::oid, k.conindid, 0 FROM pg_catalog.pg_constraint k"
                        + " WHERE k.oid = CAST(? AS oid) AND k.conindid <> 0",
                List.of(constraintOid, constraintOid),
                "NOT (x.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND x.objid = CAST(? AS oid))", List.of(constraintOid));
    }

    /** What outside a schema depends on something inside it: dropping the schema with CASCADE drops these too. */
    static List<Dependent> outsideSchema(Connection c, long namespace) throws SQLException {
        return find(c, "SELECT d.classid, d.objid, 0 FROM pg_catalog.pg_depend d"
                        + " WHERE d.refclassid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND d.refobjid = CAST(? AS oid) AND d.deptype = 'n'",
                List.of(namespace),
                "i.schema IS DISTINCT FROM (SELECT n.nspname FROM pg_catalog.pg_namespace n WHERE n.oid = CAST(? AS oid))"
                        + " AND (x.relation IS NULL OR (SELECT r.relnamespace FROM pg_catalog.pg_class r WHERE r.oid = x.relation) <> CAST(? AS oid))",
                List.of(namespace, namespace));
    }

    /**
     * The objects that live directly in a schema other than tables and views (types, functions,
     * sequences of their own, …), in PostgreSQL's words: what a plain DROP SCHEMA would also refuse over.
     * Parts of tables (their row types, owned sequences, indexes) are left out.
     */
    static List<String> otherObjectsIn(Connection c, long namespace) throws SQLException {
        String sql = """
                SELECT i.type || ' ' || i.identity
                FROM pg_catalog.pg_depend d CROSS JOIN LATERAL pg_catalog.pg_identify_object(d.classid, d.objid, 0) i
                WHERE d.refclassid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND d.refobjid = CAST(? AS oid) AND d.deptype = 'n'
                  AND NOT (d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND EXISTS (
                      SELECT 1 FROM pg_catalog.pg_class r WHERE r.oid = d.objid AND (r.relkind IN ('r', 'p', 'v', 'm', 'f', 'i', 'I', 't', 'c')
                          OR EXISTS (SELECT 1 FROM pg_catalog.pg_depend o WHERE o.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                                     AND o.objid = r.oid AND o.deptype IN ('a', 'i') AND o.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass))))
                  AND NOT (d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND EXISTS (
                      SELECT 1 FROM pg_catalog.pg_type t WHERE t.oid = d.objid
                        AND ((t.typrelid <> 0 AND (SELECT r.relkind FROM pg_catalog.pg_class r WHERE r.oid = t.typrelid) <> 'c')
                             OR EXISTS (SELECT 1 FROM pg_catalog.pg_type e WHERE e.typarray = t.oid))))
                ORDER BY 1""";
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, namespace);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static List<Dependent> find(Connection c, String start, List<Object> startParams, String keep, List<Object> keepParams)
            throws SQLException {
        String sql = "WITH RECURSIVE start (classid, objid, objsubid) AS (" + start + "), " + EDGES + ", " + FOUND + ", " + DESCRIBED
                + " SELECT i.type, i.schema, i.name, i.identity, i.type || ' ' || i.identity, x.relation"
                + " FROM described x CROSS JOIN LATERAL pg_catalog.pg_identify_object(x.classid, x.objid, x.objsubid) i"
                + " WHERE " + keep + " ORDER BY 5";
        List<Dependent> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (Object p : startParams) ps.setObject(i++, p);
            for (Object p : keepParams) ps.setObject(i++, p);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long relation = rs.getLong(6);
                    out.add(new Dependent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.wasNull() ? null : relation));
                }
            }
        }
        return out;
    }
}
