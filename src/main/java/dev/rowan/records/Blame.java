package dev.rowan.records;

import dev.rowan.catalog.Column;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;

/**
 * Finds which value a failed statement choked on. PostgreSQL names the column for NOT NULL, unique,
 * foreign-key and table check violations, but not for a value its type cannot read or a domain
 * refuses; then each value is tried alone, after the statement failed, to find the one at fault.
 * This costs a query per value, and only on the failure path.
 */
final class Blame {
    private Blame() {
    }

    /** SQLSTATE classes of a value that is wrong (data exceptions, integrity violations such as a domain check). */
    static boolean isValueError(SQLException e) {
        String state = Objects.requireNonNullElse(e.getSQLState(), "");
        return state.startsWith("22") || state.equals("23514");
    }

    /** The error reading {@code value} (SQL producing a value) raises, or null when it reads fine. */
    static SQLException unreadable(Connection c, SqlFragment value) throws SQLException {
        return failure(c, value.wrap("SELECT pg_catalog.num_nulls(", ") >= 0"), null);
    }

    /**
     * The error storing {@code value} in {@code column} raises, or null when it is not this value:
     * the value is read as the column's full type (length, precision, domain checks). Where the
     * statement failed because a value was too long ({@code original} is a truncation error), a value
     * also counts when that read changed it, since an explicit cast to varchar(n) or bit(n) cuts
     * silently what storing refuses.
     */
    static SQLException unstorable(Connection c, Column column, SqlFragment value, SQLException original) throws SQLException {
        SqlFragment probe = SqlFragment.sql("SELECT CAST(").append(value).append(" AS " + column.type() + ")::text IS NOT DISTINCT FROM (")
                .append(value).append(")::text");
        String state = Objects.requireNonNullElse(original.getSQLState(), "");
        return failure(c, probe, state.equals("22001") || state.equals("22026") ? original : null);
    }

    private static SQLException failure(Connection c, SqlFragment probe, SQLException whenChanged) throws SQLException {
        if (!c.getAutoCommit()) {
            c.rollback();
        }
        try (PreparedStatement ps = probe.prepare(c); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1) ? null : whenChanged;
        } catch (SQLException e) {
            if (isValueError(e)) return e;
            throw e;
        }
    }
}
