package dev.rowan.structure;

import static dev.rowan.postgres.Identifiers.quote;

import dev.rowan.Problem;
import dev.rowan.catalog.Catalog;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Creating, renaming, commenting and dropping schemas. Only the schemas Rowan lists can be changed; PostgreSQL's and Rowan's own are not found. */
final class Schemas {
    private Schemas() {
    }

    static Catalog.Schema find(Connection c, long oid) throws SQLException {
        return Catalog.schemas(c).stream().filter(s -> s.oid() == oid).findFirst()
                .orElseThrow(() -> new Problem(404, "schema_not_found", "No such schema", "There is no schema with id " + oid + " in this database.",
                        "It may have been deleted; reload the list of schemas."));
    }

    /** A schema named in a request body (where a table goes): one Rowan lists, or a 422 problem. */
    static Catalog.Schema byName(Connection c, String name) throws SQLException {
        return Catalog.schemas(c).stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new Problem(422, "unknown_schema", "No such schema", "There is no schema \"" + name + "\" in this database.",
                        "Schema names are case-sensitive; create the schema first, or pick one from the list of schemas."));
    }

    static long create(Connection c, Body body) throws SQLException {
        String name = checkName(body.optionalString("name"));
        String comment = body.optionalString("comment");
        Change.run(c, null, null, change -> {
            change.execute("CREATE SCHEMA " + quote(name));
            if (comment != null) {
                change.execute("COMMENT ON SCHEMA " + quote(name) + " IS " + change.literal(comment));
            }
        });
        return byName(c, name).oid();
    }

    static void update(Connection c, Catalog.Schema schema, Body body) throws SQLException {
        String name = body.has("name") ? checkName(body.optionalString("name")) : schema.name();
        Change.run(c, null, null, change -> {
            if (body.has("comment")) {
                change.execute("COMMENT ON SCHEMA " + quote(schema.name()) + " IS " + change.literal(body.optionalString("comment")));
            }
            if (!name.equals(schema.name())) {
                change.execute("ALTER SCHEMA " + quote(schema.name()) + " RENAME TO " + quote(name));
            }
        });
    }

    /**
     * Drops a schema. Without {@code cascade}, only an empty one: a schema holding anything is a 409
     * listing its tables, its other objects and what outside it depends on them (all of which CASCADE
     * would drop). Returns the OIDs of the tables and views that were in it.
     */
    static List<Long> drop(Connection c, Catalog.Schema schema, boolean cascade) throws SQLException {
        List<Catalog.TableSummary> tables = Catalog.tables(c, schema.name());
        if (!cascade) {
            List<String> objects = Dependents.otherObjectsIn(c, schema.oid());
            if (!tables.isEmpty() || !objects.isEmpty()) {
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("tables", tables);
                extra.put("objects", objects);
                extra.put("dependents", Dependents.outsideSchema(c, schema.oid()));
                throw new Problem(409, "schema_not_empty", "The schema is not empty",
                        "The schema \"" + schema.name() + "\" holds " + count(tables.size(), "table") + " and "
                                + count(objects.size(), "other object") + ".",
                        "Delete or move them first, or delete the schema with everything in it (cascade=true).", Map.of(), extra);
            }
        }
        Change.run(c, null, null, change -> change.execute("DROP SCHEMA " + quote(schema.name()) + (cascade ? " CASCADE" : " RESTRICT")));
        return tables.stream().map(Catalog.TableSummary::oid).toList();
    }

    private static String checkName(String name) {
        Names.require(name, "schema");
        if (name.startsWith("pg_")) {
            throw new Problem(422, "name_reserved", "The name is reserved",
                    "Schema names starting with \"pg_\" are reserved for PostgreSQL itself.", "Choose another name.");
        }
        return name;
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
