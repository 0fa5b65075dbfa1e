package dev.rowan.imports;

import dev.rowan.Problem;
import dev.rowan.catalog.Catalog;
import dev.rowan.catalog.Column;
import dev.rowan.catalog.ColumnType;
import dev.rowan.catalog.Table;
import dev.rowan.postgres.Identifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What an import will do, decided before it is queued so that every mistake a person can fix
 * (unknown schema, a name that is taken, columns that match nothing) is answered at once: the
 * table, one {@link Target} per column of the file, and the SQL. Names come from the catalog or
 * were checked as names, and reach SQL only through {@link Identifiers#quote}; type SQL comes only
 * from {@link ColumnType#sql()}.
 */
final class ImportPlan {
    /**
     * Where one column of the file goes: a column of the table (its type as shown: the type id for a
     * new column, PostgreSQL's spelling for an existing one), the type to create it with (new tables
     * only), how its text is read, and whether it needs a value.
     */
    record Target(String column, String type, ColumnType create, ValueFormat format, boolean required) {
    }

    final ImportRequest.Mode mode;
    final ImportRequest.OnError onError;
    final CsvSettings settings;
    final String schema;
    final String table;
    final Long tableOid;
    final List<Target> targets;
    /** The identity column added as primary key of a new table, or null. */
    final String keyColumn;
    /** Columns of an existing table whose sequence must move past the values loaded into them. */
    final List<String> sequenceColumns;
    final Table existing;

    private ImportPlan(ImportRequest.Mode mode, ImportRequest.OnError onError, CsvSettings settings, String schema, String table,
                       Long tableOid, List<Target> targets, String keyColumn, List<String> sequenceColumns, Table existing) {
        this.mode = mode;
        this.onError = onError;
        this.settings = settings;
        this.schema = schema;
        this.table = table;
        this.tableOid = tableOid;
        this.targets = targets;
        this.keyColumn = keyColumn;
        this.sequenceColumns = sequenceColumns;
        this.existing = existing;
    }

    static ImportPlan of(Connection c, Sniffer.Detection d, ImportRequest r) throws SQLException {
        if (r.columns() != null && r.columns().size() != d.columnCount()) {
            throw new Problem(422, "columns_mismatch", "The column list does not fit the file",
                    "The file has " + d.columnCount() + " columns, but \"columns\" describes " + r.columns().size() + ".",
                    "Send one entry per column of the file, in the file's order (the preview lists them).");
        }
        return r.mode() == ImportRequest.Mode.NEW ? newTable(c, d, r) : existingTable(c, d, r);
    }

    private static ImportPlan newTable(Connection c, Sniffer.Detection d, ImportRequest r) throws SQLException {
        Catalog.Schema schema = Catalog.schemas(c).stream().filter(s -> s.name().equals(r.schema())).findFirst()
                .orElseThrow(() -> new Problem(404, "schema_not_found", "No such schema", "The database has no schema \"" + r.schema() + "\".",
                        "Choose a schema from the list of schemas, or create it first."));
        if (!bool(c, "SELECT pg_catalog.has_schema_privilege(?::oid, 'CREATE')", schema.oid())) {
            throw new Problem(403, "permission_denied", "The database does not allow this",
                    "The role Rowan connects as may not create tables in the schema \"" + r.schema() + "\".",
                    "A database owner can GRANT CREATE ON SCHEMA to it.");
        }
        if (bool(c, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE relnamespace = ?::oid AND relname = ?)"
                + " OR EXISTS (SELECT 1 FROM pg_catalog.pg_type WHERE typnamespace = ?::oid AND typname = ?)",
                schema.oid(), r.table(), schema.oid(), r.table())) {
            throw new Problem(409, "name_taken", "That name is taken", "The schema \"" + r.schema() + "\" already has a table (or another object) named \""
                    + r.table() + "\".", "Choose another name, or import into the existing table.");
        }
        List<Target> targets = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < d.columnCount(); i++) {
            String name = r.columns() != null ? r.columns().get(i).name() : d.names().get(i).name();
            ColumnType type = r.columns() != null ? r.columns().get(i).type() : d.inference().type(i);
            if (!names.add(name)) {
                throw new Problem(422, "invalid_name", "Two columns have the same name", "The column name \"" + name + "\" appears more than once.",
                        "Give every column its own name.");
            }
            targets.add(new Target(name, type.id(), type, ValueFormat.of(type), false));
        }
        String key = r.addPrimaryKey() ? keyName(names) : null;
        if (targets.size() + (key == null ? 0 : 1) > 1600) {
            throw new Problem(422, "too_many_columns", "The file has too many columns",
                    "The file has " + targets.size() + " columns; a PostgreSQL table holds at most 1600.", "Split the file into several tables.");
        }
        return new ImportPlan(ImportRequest.Mode.NEW, r.onError(), d.settings(), r.schema(), r.table(), null, targets, key, List.of(), null);
    }

    /** "id", unless the file has a column of that name: then row_id (or row_id_2 ...). */
    private static String keyName(Set<String> taken) {
        boolean idTaken = taken.stream().anyMatch(n -> n.equalsIgnoreCase("id"));
        return idTaken ? ColumnNames.unique("row_id", taken) : "id";
    }

    private static ImportPlan existingTable(Connection c, Sniffer.Detection d, ImportRequest r) throws SQLException {
        Table t = Catalog.table(c, r.tableOid());
        if (!t.kind().equals("table")) {
            throw new Problem(422, "not_a_table", "Rows cannot be imported into a " + t.kind().replace('_', ' '),
                    "\"" + t.name() + "\" is a " + t.kind().replace('_', ' ') + ", not a table.", "Choose a table.");
        }
        if (!t.canInsert()) {
            throw new Problem(403, "permission_denied", "The database does not allow this",
                    "The role Rowan connects as may not insert into \"" + t.name() + "\".", "A database owner can GRANT INSERT on it.");
        }
        List<Column> writable = t.columns().stream().filter(col -> !col.generated() && !"always".equals(col.identity())).toList();
        List<Column> matched = new ArrayList<>();
        List<String> unmatched = new ArrayList<>();
        boolean byName = r.columns() != null || d.settings().header();
        if (byName) {
            for (int i = 0; i < d.columnCount(); i++) {
                String name = r.columns() != null ? r.columns().get(i).name() : d.header().get(i).strip();
                Optional<Column> col = match(t, name);
                if (col.isPresent()) {
                    matched.add(col.get());
                } else {
                    unmatched.add(name);
                }
            }
            if (!unmatched.isEmpty()) {
                throw new Problem(422, "columns_unmatched", "Columns of the file match no column of the table",
                        "The table \"" + t.name() + "\" has no column named " + quoted(unmatched) + ".",
                        "Rename them in the file's header, choose the columns they go to, or import into a new table.",
                        Map.of(), Map.of("columns", unmatched));
            }
        } else {
            if (d.columnCount() > writable.size()) {
                throw new Problem(422, "too_many_columns", "The file has more columns than the table",
                        "The file has " + d.columnCount() + " columns; \"" + t.name() + "\" takes values in " + writable.size() + ".",
                        "Without a header, the file's columns go to the table's columns in order.");
            }
            // A file with fewer columns than the table leaves the numbered key (serial, identity) to the database.
            List<Column> candidates = writable;
            List<Column> unnumbered = writable.stream().filter(col -> !autoNumbered(col)).toList();
            if (d.columnCount() < writable.size() && d.columnCount() <= unnumbered.size()) candidates = unnumbered;
            matched.addAll(candidates.subList(0, d.columnCount()));
        }
        Set<String> seen = new HashSet<>();
        List<Target> targets = new ArrayList<>();
        List<String> sequences = new ArrayList<>();
        for (Column col : matched) {
            if (!seen.add(col.name())) {
                throw new Problem(422, "columns_unmatched", "Two columns of the file go to the same column",
                        "More than one column of the file goes to \"" + col.name() + "\".", "Each column of the table can be filled once.");
            }
            String notWritable = col.generated() ? "computed by the database (a generated column)"
                    : "always".equals(col.identity()) ? "always numbered by the database (GENERATED ALWAYS AS IDENTITY)"
                    : !col.canInsert() ? "not writable by the role Rowan connects as" : null;
            if (notWritable != null) {
                throw new Problem(422, "column_not_writable", "A column cannot take values", "\"" + col.name() + "\" is " + notWritable + ".",
                        "Leave that column out of the file.");
            }
            targets.add(new Target(col.name(), col.type(), null, ValueFormat.of(col), !col.nullable()));
            if (autoNumbered(col)) sequences.add(col.name());
        }
        return new ImportPlan(ImportRequest.Mode.EXISTING, r.onError(), d.settings(), t.schema(), t.name(), t.oid(), targets, null,
                sequences, t);
    }

    private static boolean autoNumbered(Column col) {
        return col.identity() != null || col.defaultExpression() != null && col.defaultExpression().startsWith("nextval(");
    }

    /** The column of that exact name, else the only one of that name ignoring case. */
    private static Optional<Column> match(Table t, String name) {
        Optional<Column> exact = t.column(name);
        if (exact.isPresent()) return exact;
        List<Column> loose = t.columns().stream().filter(c -> c.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))).toList();
        return loose.size() == 1 ? Optional.of(loose.get(0)) : Optional.empty();
    }

    private static String quoted(List<String> names) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) out.append(i == names.size() - 1 ? " or " : ", ");
            out.append('"').append(names.get(i)).append('"');
        }
        return out.toString();
    }

    private static boolean bool(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    String qualifiedTable() {
        return Identifiers.qualified(schema, table);
    }

    /** CREATE TABLE for a new table: the key column (if any) first, then the file's columns; the key constraint comes after the load. */
    String createSql() {
        StringBuilder sql = new StringBuilder("CREATE TABLE ").append(qualifiedTable()).append(" (");
        if (keyColumn != null) sql.append(Identifiers.quote(keyColumn)).append(" bigint GENERATED BY DEFAULT AS IDENTITY");
        for (int i = 0; i < targets.size(); i++) {
            if (i > 0 || keyColumn != null) sql.append(", ");
            sql.append(Identifiers.quote(targets.get(i).column())).append(' ').append(targets.get(i).create().sql());
        }
        return sql.append(')').toString();
    }

    /**
     * COPY in text format. FREEZE for a table created in the same transaction: its rows are written
     * already visible to all, sparing the vacuum that would otherwise rewrite every page later. The
     * key column of a new table comes first and is numbered by the loader (1, 2, ...), which costs
     * PostgreSQL far less than drawing each number from the identity's sequence.
     */
    String copySql() {
        StringBuilder sql = new StringBuilder("COPY ").append(qualifiedTable()).append(" (");
        if (keyColumn != null) sql.append(Identifiers.quote(keyColumn)).append(", ");
        for (int i = 0; i < targets.size(); i++) {
            if (i > 0) sql.append(", ");
            sql.append(Identifiers.quote(targets.get(i).column()));
        }
        return sql.append(") FROM STDIN WITH (FORMAT text").append(mode == ImportRequest.Mode.NEW ? ", FREEZE" : "").append(')').toString();
    }

    /** The columns as the job shows them: name and type, and for an existing table which column each file column went to. */
    List<Map<String, Object>> columnsJson() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Target t : targets) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.column());
            m.put("type", t.type());
            out.add(m);
        }
        return out;
    }
}
