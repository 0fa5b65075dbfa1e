package dev.rowan.postgres;

import dev.rowan.Problem;
import dev.rowan.catalog.Constraint;
import dev.rowan.catalog.Table;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an error PostgreSQL raised while working on user data into a problem a person can act on:
 * a stable code, PostgreSQL's own sentence (it names the value and the rule), and — when the error
 * belongs to one column — that column, as the {@code column} member. Kept in one place so records,
 * structure changes and imports word the same failure the same way. docs/api/README.md lists the
 * codes by SQLSTATE class.
 */
public final class SqlProblems {
    private static final Logger LOG = LoggerFactory.getLogger(SqlProblems.class);

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

        Problem known = known(state, detail, hint, extra);
        if (known != null) return known;
        return byClass(state, server != null, detail, hint, extra, e);
    }

    /** The states Rowan words on their own: the ones a person causes and can fix, most of them about a value. */
    private static Problem known(String state, String detail, String hint, Map<String, Object> extra) {
        return switch (state) {
            case "23502" -> problem(422, "value_required", "A value is required", detail, or(hint, "Give the column a value."), extra);
            case "23505" -> problem(422, "duplicate_value", "The value must be unique", detail,
                    or(hint, "Another record already has this value."), extra);
            case "23503" -> detail.contains("still referenced")
                    ? problem(409, "still_referenced", "Other records refer to this one", detail,
                        "Change or delete the records that refer to it first.", extra)
                    : problem(422, "missing_reference", "The referenced record does not exist", detail,
                        "Pick a record that exists in the referenced table.", extra);
            case "23001" -> problem(409, "still_referenced", "Other records refer to this one", detail,
                    "Change or delete the records that refer to it first.", extra);
            case "23514", "23P01" -> problem(422, "check_failed", "The value breaks a rule of the table", detail,
                    or(hint, "Give a value that the rule allows."), extra);
            case "42501" -> problem(403, "permission_denied", "The database does not allow this", detail,
                    "The role Rowan connects as lacks the privilege; a database owner can GRANT it.", extra);
            case "42P06", "42P07", "42701", "42710", "42723" -> problem(409, "name_taken", "That name is taken", detail,
                    "Choose another name.", extra);
            case "42P01", "42703", "3F000", "42883" -> problem(409, "structure_changed", "The table changed meanwhile", detail,
                    "Reload the table and try again.", extra);
            case "40001", "40P01" -> problem(409, "conflict", "Another change got in the way", detail,
                    "The database undid this to let a change made at the same time go through; try again.", extra);
            case "55P03", "55006" -> problem(409, "conflict", "The table is busy", detail,
                    "Another session holds a lock on it (a long transaction, a structure change, an import); try again in a moment.", extra);
            case "25006" -> problem(409, "read_only_database", "The database accepts no changes", detail,
                    "Rowan is connected to a read-only server (a standby) or a read-only default; connect it to the primary to make changes.", extra);
            case "57014" -> problem(503, "query_canceled", "The database stopped the query", detail,
                    "The query took longer than the database allows (statement_timeout), or someone canceled it; narrow it down with a filter, or try again.", extra);
            case "53100" -> problem(503, "database_out_of_resources", "The database server's disk is full", detail,
                    "Nothing was changed. The database's administrator must free disk space on its server.", extra);
            case "53200" -> problem(503, "database_out_of_resources", "The database server is out of memory", detail,
                    "Try again with a smaller request (a filter, fewer records); if it keeps happening, the database's administrator must give it more memory.", extra);
            case "53300" -> problem(503, "database_out_of_resources", "The database has no connections left", detail,
                    "Other programs use all its connections (max_connections); try again in a moment, or ask its administrator to raise the limit.", extra);
            default -> null;
        };
    }

    /**
     * Every other error by its SQLSTATE class (the first two characters), so that no error PostgreSQL
     * raises ends up as an unexplained 500. Errors inside the server itself (XX, 58) are Rowan's log's
     * business: their text may describe the server's files, and says nothing a person could act on.
     */
    private static Problem byClass(String state, boolean fromServer, String detail, String hint, Map<String, Object> extra, SQLException e) {
        String cls = state.length() == 5 ? state.substring(0, 2) : "";
        return switch (cls) {
            case "08", "57" -> problem(503, "database_unavailable", "The database connection was lost", detail,
                    "The database server went away or is restarting; retry when it is back.", extra);
            case "28", "3D" -> problem(503, "database_unavailable", "The database refuses Rowan's connection", detail,
                    "Check the connection's user, password and database name on the Databases page.", extra);
            case "22" -> problem(422, "invalid_value", "The value cannot be stored", detail, or(hint, "Give a value of the column's type."), extra);
            case "23", "42" -> problem(422, "rejected", "The database rejected the request", detail,
                    or(hint, "The message says what PostgreSQL objected to; change the request accordingly."), extra);
            case "44" -> problem(422, "check_failed", "The value breaks a rule of the table", detail,
                    or(hint, "The view only accepts records it would show (WITH CHECK OPTION)."), extra);
            case "0L", "0P" -> problem(403, "permission_denied", "The database does not allow this", detail,
                    "The role Rowan connects as lacks the privilege; a database owner can GRANT it.", extra);
            case "2B" -> problem(409, "has_dependents", "Other objects depend on this", detail,
                    or(hint, "Remove or change the objects that depend on it first."), extra);
            case "40", "72" -> problem(409, "conflict", "Another change got in the way", detail,
                    "The database undid this because of work done at the same time; try again.", extra);
            case "55" -> problem(409, "wrong_state", "The database cannot do this now", detail,
                    or(hint, "The object is not in the state this needs; its owner may have to change it first."), extra);
            case "25" -> problem(503, "transaction_failed", "The database ended the transaction", detail,
                    "Nothing was changed; try again.", extra);
            case "53" -> problem(503, "database_out_of_resources", "The database is out of resources", detail,
                    "The database server has hit one of its limits; try again later, or ask its administrator to raise it.", extra);
            case "54" -> problem(422, "too_complex", "The request is too large for the database", detail,
                    or(hint, "Use a smaller value or a simpler request; this exceeds a fixed limit of PostgreSQL."), extra);
            case "0A" -> problem(422, "not_supported", "The database does not support this", detail,
                    or(hint, "PostgreSQL cannot do this here; do it another way, or with SQL."), extra);
            case "HV" -> problem(502, "foreign_data_error", "A foreign table's source failed", detail,
                    "The table reads another server (a foreign table); check that server and the foreign server's settings.", extra);
            case "58", "F0", "XX" -> hidden(state, e, extra);
            case "03", "0B", "24", "26", "2D", "34", "3B" -> problem(500, "statement_failed", "The database could not run Rowan's statement", detail,
                    "Try again; if it keeps happening, report it with Rowan's version and this message.", extra);
            // P0 (PL/pgSQL: RAISE EXCEPTION), 09, 20, 21, 27, 2F, 38, 39 and SQLSTATEs of the database's own
            // functions: a trigger or function in the database refused the request, in its author's words.
            default -> fromServer
                    ? problem(422, "routine_failed", "A trigger or function in the database refused this", detail,
                        or(hint, "A rule written into the database (a trigger or function) stopped the request; its message says why."), extra)
                    : problem(500, "database_error", "The database driver reported an error", detail, hint, extra);
        };
    }

    /** A failure inside the database server: the answer carries a reference; the server's words go to Rowan's log only. */
    private static Problem hidden(String state, SQLException e, Map<String, Object> extra) {
        String reference = UUID.randomUUID().toString().substring(0, 8);
        LOG.error("Database server error {} (SQLSTATE {}): {}", reference, state, PostgresErrors.firstLine(e.getMessage()));
        boolean files = state.startsWith("58") || state.startsWith("F0");
        return problem(files ? 503 : 500, files ? "database_system_error" : "database_internal_error",
                files ? "The database server could not use its files" : "The database server failed",
                "The database server reported an error of its own (SQLSTATE " + state + ", reference " + reference + ").",
                "Its administrator should look at the database server's log; Rowan's log has the message under the reference.", extra);
    }

    /** PostgreSQL's own hint when it gave one (it names the fix), else Rowan's. */
    private static String or(String serverHint, String hint) {
        return serverHint != null ? serverHint : hint;
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
