package dev.rowan.records;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.Problem;
import dev.rowan.catalog.Column;
import dev.rowan.postgres.SqlProblems;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postgresql.util.PSQLException;

/**
 * Inserting, changing and deleting records. PostgreSQL reads and checks every value (types, NOT
 * NULL, unique, foreign keys, checks, domains); what it refuses comes back as a problem naming the
 * column at fault. Each change is one statement, so it happens completely or not at all.
 */
final class RecordWriter {
    /** Keys per bulk delete: what a person selects in a grid, not a way to empty a table. */
    static final int MAX_KEYS = 10_000;

    private RecordWriter() {
    }

    /** The fields of a body, checked: known columns that a person may write. */
    private record Fields(List<Column> columns, List<SqlFragment> values) {
    }

    static String insert(Connection c, TableInfo table, JsonNode body) throws SQLException {
        table.requireWritable();
        Fields fields = fields(table, body, true);
        return returned(c, table, QueryBuilder.insert(table, fields.columns(), fields.values()), fields, null)
                .orElseThrow(() -> new IllegalStateException("INSERT returned no row"));
    }

    /** The stored record after changing the given fields; a body without fields changes nothing. */
    static String update(Connection c, TableInfo table, String keySegment, JsonNode body) throws SQLException {
        table.requireWritable();
        List<String> key = RecordKey.parse(keySegment, table);
        Fields fields = fields(table, body, false);
        SqlFragment where = Conditions.of(RecordKey.filter(key, table), table);
        SqlFragment sql = fields.columns().isEmpty() ? QueryBuilder.records(table, where) : QueryBuilder.update(table, fields.columns(), fields.values(), where);
        return returned(c, table, sql, fields, key).orElseThrow(() -> RecordKey.notFound(table, key));
    }

    static void delete(Connection c, TableInfo table, String keySegment) throws SQLException {
        table.requireWritable();
        List<String> key = RecordKey.parse(keySegment, table);
        if (deleted(c, table, Conditions.of(RecordKey.filter(key, table), table), List.of(key)) == 0) {
            throw RecordKey.notFound(table, key);
        }
    }

    /**
     * Deletes the records with these keys in one statement: when one of them cannot go (other records
     * still refer to it), none goes. Keys of records that do not exist are passed over.
     */
    static long deleteMany(Connection c, TableInfo table, JsonNode body) throws SQLException {
        table.requireWritable();
        JsonNode keysNode = body == null ? null : body.get("keys");
        if (keysNode == null || !keysNode.isArray()) {
            throw new Problem(400, "invalid_body", "Keys are missing", "The body is {\"keys\": [...]}, a list of record keys.", null);
        }
        if (keysNode.size() > MAX_KEYS) {
            throw new Problem(400, "too_many_keys", "Too many records at once",
                    "At most " + MAX_KEYS + " records can be deleted in one request, not " + keysNode.size() + ".", "Delete them in several requests.");
        }
        List<List<String>> keys = new ArrayList<>();
        for (JsonNode k : keysNode) keys.add(RecordKey.fromJson(k, table));
        if (keys.isEmpty()) return 0;
        List<Column> pk = table.primaryKey();
        List<String> columns = new ArrayList<>();
        List<String> casts = new ArrayList<>();
        for (int i = 0; i < pk.size(); i++) {
            columns.add(Conditions.column(pk.get(i)));
            casts.add("CAST(k.k" + (i + 1) + " AS " + table.details(pk.get(i)).castType() + ")");
        }
        SqlFragment where = SqlFragment.sql("(" + String.join(", ", columns) + ") IN (SELECT " + String.join(", ", casts) + " FROM ")
                .append(QueryBuilder.textRows(keys, pk.size())).append(")");
        return deleted(c, table, where, keys);
    }

    private static long deleted(Connection c, TableInfo table, SqlFragment where, List<List<String>> keys) throws SQLException {
        try (PreparedStatement ps = QueryBuilder.delete(table, where).prepare(c)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            if (Blame.isValueError(e)) {
                for (List<String> key : keys) {
                    if (badKey(c, table, key)) throw RecordKey.notFound(table, key);
                }
            }
            throw referencing(SqlProblems.of(e, table.table(), null), e);
        }
    }

    private static Fields fields(TableInfo table, JsonNode body, boolean inserting) {
        if (body == null || !body.isObject()) {
            throw new Problem(400, "invalid_body", "The record must be a JSON object",
                    "Send the record as {\"column\": value, …}.", null);
        }
        List<Column> columns = new ArrayList<>();
        List<SqlFragment> values = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            Column column = table.requireColumn(field.getKey());
            requireWritable(table, column, inserting);
            columns.add(column);
            values.add(Values.write(column, table.details(column), field.getValue()));
        }
        return new Fields(columns, values);
    }

    private static void requireWritable(TableInfo table, Column column, boolean inserting) {
        String why = column.generated() ? "is computed by the database (a generated column)"
                : "always".equals(column.identity()) ? "is numbered by the database (an identity column GENERATED ALWAYS)"
                : inserting && !column.canInsert() ? "may not be set by the role Rowan connects as (no INSERT privilege on it)"
                : !inserting && !column.canUpdate() ? "may not be changed by the role Rowan connects as (no UPDATE privilege on it)"
                : null;
        if (why != null) {
            throw new Problem(422, "read_only_column", "The column cannot be written", "\"" + column.name() + "\" " + why + ".",
                    "Leave it out of the record.", Map.of(), Map.of("column", column.name()));
        }
        if (!table.details(column).editable()) {
            throw new Problem(422, "not_editable", "Values of this type cannot be edited",
                    "\"" + column.name() + "\" is of type " + column.type() + ", which PostgreSQL shows as text but does not read back from text.",
                    "Change such values with SQL.", Map.of(), Map.of("column", column.name()));
        }
    }

    /** Runs a statement that returns at most one record as JSON. */
    private static Optional<String> returned(Connection c, TableInfo table, SqlFragment sql, Fields fields, List<String> key)
            throws SQLException {
        try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            throw problem(c, table, fields, key, e);
        }
    }

    /**
     * The problem for a failed write, naming the column: PostgreSQL's own when it names it, else the
     * first given value that fails alone. A key that is not a key of this type means no such record.
     */
    private static Problem problem(Connection c, TableInfo table, Fields fields, List<String> key, SQLException e) throws SQLException {
        Problem p = SqlProblems.of(e, table.table(), null);
        if (p.extensions().containsKey("column") || !Blame.isValueError(e)) {
            return referencing(p, e);
        }
        for (int i = 0; i < fields.columns().size(); i++) {
            Column column = fields.columns().get(i);
            SQLException cause = Blame.unstorable(c, column, fields.values().get(i), e);
            if (cause != null) return SqlProblems.of(cause, table.table(), column.name());
        }
        if (key != null && badKey(c, table, key)) {
            return RecordKey.notFound(table, key);
        }
        return p;
    }

    private static boolean badKey(Connection c, TableInfo table, List<String> key) throws SQLException {
        for (int i = 0; i < key.size(); i++) {
            if (Blame.unreadable(c, Values.exact(table.details(table.primaryKey().get(i)), key.get(i))) != null) return true;
        }
        return false;
    }

    /** A record that others still refer to: the problem also names the referring table, which PostgreSQL reports. */
    private static Problem referencing(Problem p, SQLException e) {
        if (!p.code().equals("still_referenced") || !(e instanceof PSQLException pe) || pe.getServerErrorMessage() == null
                || pe.getServerErrorMessage().getTable() == null) {
            return p;
        }
        Map<String, Object> extensions = new LinkedHashMap<>(p.extensions());
        Map<String, String> table = new HashMap<>();
        table.put("schema", pe.getServerErrorMessage().getSchema());
        table.put("name", pe.getServerErrorMessage().getTable());
        extensions.put("referencingTable", table);
        return new Problem(p.status(), p.code(), p.title(), p.detail(), p.hint(), p.headers(), extensions);
    }
}
