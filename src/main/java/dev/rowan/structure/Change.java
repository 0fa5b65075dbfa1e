package dev.rowan.structure;

import dev.rowan.Problem;
import dev.rowan.catalog.Table;
import dev.rowan.postgres.SqlProblems;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;

/**
 * One structure change: its statements run in one transaction, so a change either happens whole or
 * not at all. When a statement fails, everything is rolled back first; then the step that was running
 * gets to explain the failure with the data as it is (which values are duplicated, how many rows are
 * empty, which values would not cast), since PostgreSQL's own message names only the first culprit.
 */
final class Change {
    /** How long a change waits for a table that other sessions are using before giving up, rather than hanging the request. */
    private static final String LOCK_TIMEOUT = "SET LOCAL lock_timeout = '5s'";

    interface Steps {
        void run(Change change) throws SQLException;
    }

    /** Turns the failure of a step into a problem, reading the data after the rollback; null: no better words than PostgreSQL's. */
    interface Explanation {
        Problem explain(Connection c, SQLException e) throws SQLException;
    }

    private final Connection c;
    private Explanation explanation;

    private Change(Connection c) {
        this.c = c;
    }

    /**
     * Runs the steps in one transaction. A failure is explained by the current step, else mapped by
     * {@link SqlProblems} for {@code table} and {@code column} (either may be null).
     */
    static void run(Connection c, Table table, String column, Steps steps) throws SQLException {
        Change change = new Change(c);
        c.setAutoCommit(false);
        try {
            change.execute(LOCK_TIMEOUT);
            steps.run(change);
            c.commit();
        } catch (SQLException e) {
            Problem explained = rolledBack(c, e) ? change.explain(e) : null;
            throw explained != null ? explained : SqlProblems.of(e, table, column);
        } catch (RuntimeException e) {
            rolledBack(c, e);
            throw e;
        } finally {
            if (!c.isClosed()) c.setAutoCommit(true);
        }
    }

    /** Rolls back; false when the connection is gone (the pool closes connections after some errors), so nothing more can be asked. */
    private static boolean rolledBack(Connection c, Exception cause) {
        try {
            c.rollback();
            return true;
        } catch (SQLException e) {
            cause.addSuppressed(e);
            return false;
        }
    }

    private Problem explain(SQLException e) {
        if (explanation == null) return null;
        try {
            Problem p = explanation.explain(c, e);
            c.rollback();
            return p;
        } catch (SQLException ignored) {
            // the explaining query failed too (e.g. the connection went): the original error says enough
            return null;
        }
    }

    /** From now on, a failure is explained this way (null: by PostgreSQL's message). */
    void explainFailuresBy(Explanation explanation) {
        this.explanation = explanation;
    }

    Connection connection() {
        return c;
    }

    void execute(String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * Runs a statement that may fail without failing the change: true when it worked, false when
     * PostgreSQL refused it (and only it was undone).
     */
    boolean attempt(String sql) throws SQLException {
        Savepoint before = c.setSavepoint();
        try {
            execute(sql);
            c.releaseSavepoint(before);
            return true;
        } catch (SQLException e) {
            c.rollback(before);
            return false;
        }
    }

    /** The SQL literal PostgreSQL writes for {@code value} ('it''s', E'a\\b', NULL): values reach DDL, which takes no parameters, only this way. */
    String literal(String value) throws SQLException {
        return quoted(c, "?", value);
    }

    /**
     * The SQL literal of {@code value} as read by the cast expression {@code castOfParameter} (in which
     * {@code ?} stands for the value as text), written as PostgreSQL's text of the resulting value;
     * NULL when the cast reads it as empty. A value the cast cannot read fails as it would in an INSERT.
     */
    String literal(String castOfParameter, String value) throws SQLException {
        return quoted(c, castOfParameter, value);
    }

    /**
     * A column type without its modifier ({@code character varying} for varchar(3)), and whether the
     * modifier is a length that an explicit cast cuts values to (strings and bit strings).
     */
    record BaseType(String name, boolean modifierIsLength) {
    }

    BaseType baseType(long typeOid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT pg_catalog.format_type(t.oid, NULL), t.typcategory IN ('S', 'V') FROM pg_catalog.pg_type t WHERE t.oid = ?")) {
            ps.setLong(1, typeOid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new BaseType(rs.getString(1), rs.getBoolean(2));
            }
        }
    }

    private static String quoted(Connection c, String castOfParameter, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_catalog.quote_nullable(CAST(" + castOfParameter + " AS text))")) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
