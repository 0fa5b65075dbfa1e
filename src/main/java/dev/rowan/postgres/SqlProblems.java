package dev.rowan.postgres;

import dev.rowan.Problem;
import dev.rowan.catalog.Constraint;
import dev.rowan.catalog.Table;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Turns an error PostgreSQL raised while working on user data into a problem a person can act on:
 * a stable code, PostgreSQL's own sentence (it names the value and the rule), and — when the error
 * belongs to one column — that column, as the {@code column} member. Kept in one place so records,
 * structure changes and imports word the same failure the same way.
 */
public final class SqlProblems {
    private SqlProblems() {
    }

    /** The problem for an error, without knowledge of the table (structure changes, schemas). */
    public static Problem of(SQLException e) {
        return of(e, null, null);
    }

    /**
     * The problem for an error on {@code table}; {@code column} is the column the caller already
     * knows to be at fault (null: taken from the error when PostgreSQL names it or its constraint).
     */
    public static Problem of(SQLException e, Table table, String column) {
        String state = Objects.requireNonNullElse(e.getSQLState(), "");
        ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        String message = server != null && server.getMessage() != null ? server.getMessage() : PostgresErrors.firstLine(e.getMessage());
        String detail = sentence(message) + (server != null && server.getDetail() != null ? " " + sentence(server.getDetail()) : "");
        String hint = server == null ? null : server.getHint();
        String at = column != null ? column : columnOf(server, table);
        Map<String, Object> extra = new LinkedHashMap<>();
        if (at != null) extra.put("column", at);
        if (server != null && server.getConstraint() != null) extra.put("constraint", server.getConstraint());

        if (state.startsWith("08")) {
            return new Problem(503, "database_unavailable", "The database connection was lost", detail,
                    "Retry when the database is back.", Map.of(), extra);
        }
        return switch (state) {
            case "23502" -> problem(422, "value_required", "A value is required", detail, hint, extra);
            case "23505" -> problem(422, "duplicate_value", "The value must be unique", detail,
                    hint != null ? hint : "Another record already has this value.", extra);
            case "23503" -> detail.contains("still referenced")
                    ? problem(409, "still_referenced", "Other records refer to this one", detail,
                        "Change or delete the records that refer to it first.", extra)
                    : problem(422, "missing_reference", "The referenced record does not exist", detail,
                        "Pick a record that exists in the referenced table.", extra);
            case "23514", "23P01" -> problem(422, "check_failed", "The value breaks a rule of the table", detail, hint, extra);
            case "42501" -> problem(403, "permission_denied", "The database does not allow this", detail,
                    "The role Rowan connects as lacks the privilege; a database owner can GRANT it.", extra);
            case "42P06", "42P07", "42701", "42710", "42723" -> problem(409, "name_taken", "That name is taken", detail,
                    "Choose another name.", extra);
            case "2BP01" -> problem(409, "has_dependents", "Other objects depend on this", detail,
                    hint != null ? hint : "Remove or change the objects that depend on it first.", extra);
            case "42P01", "42703", "3F000", "42883" -> problem(409, "structure_changed", "The table changed meanwhile", detail,
                    "Reload the table and try again.", extra);
            case "40001", "40P01", "55P03" -> problem(409, "conflict", "Another change got in the way", detail,
                    "Try again.", extra);
            case "57014" -> problem(503, "query_canceled", "The database stopped the query", detail,
                    "The query took too long or was canceled; narrow it down with a filter, or try again.", extra);
            case "53100", "53200", "53300" -> problem(503, "database_out_of_resources", "The database is out of resources", detail,
                    "The database server is out of disk, memory or connections; its administrator can free some.", extra);
            case "54000", "54001" -> problem(422, "too_complex", "The request is too large for the database", detail, hint, extra);
            case "0A000" -> problem(422, "not_supported", "The database does not support this", detail, hint, extra);
            default -> state.startsWith("22")
                    ? problem(422, "invalid_value", "The value cannot be stored", detail, hint, extra)
                    : state.startsWith("42") || state.startsWith("23")
                    ? problem(422, "rejected", "The database rejected the request", detail, hint, extra)
                    : problem(500, "database_error", "The database reported an error", detail, hint, extra);
        };
    }

    private static Problem problem(int status, String code, String title, String detail, String hint, Map<String, Object> extra) {
        return new Problem(status, code, title, detail, hint, Map.of(), extra);
    }

    private static String columnOf(ServerErrorMessage server, Table table) {
        if (server == null) return null;
        if (server.getColumn() != null) return server.getColumn();
        if (table == null || server.getConstraint() == null) return null;
        return table.constraints().stream().filter(k -> k.name().equals(server.getConstraint())).findFirst()
                .map(Constraint::attnums).filter(n -> n.size() == 1)
                .flatMap(n -> table.column(n.get(0))).map(c -> c.name()).orElse(null);
    }

    private static String sentence(String s) {
        if (s == null || s.isBlank()) return "";
        String t = s.strip();
        t = Character.toUpperCase(t.charAt(0)) + t.substring(1);
        return t.endsWith(".") ? t : t + ".";
    }

    /** The SQLSTATEs of a failed value: the column's type could not read it, or a rule rejected it. */
    public static boolean isBadValue(SQLException e) {
        String state = Objects.requireNonNullElse(e.getSQLState(), "");
        return state.startsWith("22") || List.of("23502", "23505", "23503", "23514").contains(state);
    }
}
