package dev.rowan.records;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A piece of SQL with the values it binds, kept together so that a placeholder can never drift from
 * its value. The text holds only constant SQL and names quoted by {@link dev.rowan.postgres.Identifiers};
 * every value a request carries is a bound parameter: a String (text), a Long, or a String[] (text[]).
 */
final class SqlFragment {
    static final SqlFragment TRUE = sql("TRUE");
    static final SqlFragment FALSE = sql("FALSE");

    private final String text;
    private final List<Object> params;

    private SqlFragment(String text, List<Object> params) {
        this.text = text;
        this.params = params;
    }

    static SqlFragment sql(String text) {
        return new SqlFragment(text, List.of());
    }

    /** One placeholder bound to {@code value}. */
    static SqlFragment param(Object value) {
        if (!(value instanceof String || value instanceof Long || value instanceof String[])) {
            throw new IllegalArgumentException("binds text, bigint or text[] only, not " + value);
        }
        return new SqlFragment("?", Collections.singletonList(value));
    }

    /** Constant SQL holding exactly one placeholder, and its value. */
    static SqlFragment bound(String text, String value) {
        if (text.indexOf('?') != text.lastIndexOf('?') || text.indexOf('?') < 0) {
            throw new IllegalArgumentException("expected one placeholder in " + text);
        }
        return new SqlFragment(text, Collections.singletonList(value));
    }

    SqlFragment append(String more) {
        return new SqlFragment(text + more, params);
    }

    SqlFragment append(SqlFragment more) {
        if (more.params.isEmpty()) return append(more.text);
        List<Object> all = new ArrayList<>(params.size() + more.params.size());
        all.addAll(params);
        all.addAll(more.params);
        return new SqlFragment(text + more.text, all);
    }

    /** {@code before + this + after}, e.g. wrapping in parentheses. */
    SqlFragment wrap(String before, String after) {
        return new SqlFragment(before + text + after, params);
    }

    static SqlFragment join(String separator, List<SqlFragment> parts) {
        StringBuilder sb = new StringBuilder();
        List<Object> all = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) sb.append(separator);
            sb.append(parts.get(i).text);
            all.addAll(parts.get(i).params);
        }
        return new SqlFragment(sb.toString(), all);
    }

    /** The conjunction of the conditions; TRUE when there are none. */
    static SqlFragment and(List<SqlFragment> conditions) {
        return conditions.isEmpty() ? TRUE : conditions.size() == 1 ? conditions.get(0) : join(" AND ", conditions).wrap("(", ")");
    }

    /** The disjunction of the conditions; FALSE when there are none. */
    static SqlFragment or(List<SqlFragment> conditions) {
        return conditions.isEmpty() ? FALSE : conditions.size() == 1 ? conditions.get(0) : join(" OR ", conditions).wrap("(", ")");
    }

    String text() {
        return text;
    }

    List<Object> params() {
        return params;
    }

    /**
     * A statement with the values bound. The driver prepares a statement on the server once it has
     * run five times on a connection; PostgreSQL then plans it for the actual values each time unless
     * a plan for any values is estimated to cost no more (so a page's LIMIT or a rare filter value
     * still gets the plan made for it).
     */
    PreparedStatement prepare(Connection c) throws SQLException {
        PreparedStatement ps = c.prepareStatement(text);
        try {
            bind(ps, c);
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    private void bind(PreparedStatement ps, Connection c) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object v = params.get(i);
            if (v instanceof Long n) {
                ps.setLong(i + 1, n);
            } else if (v instanceof String[] array) {
                ps.setArray(i + 1, c.createArrayOf("text", array));
            } else {
                ps.setString(i + 1, (String) v);
            }
        }
    }

    @Override
    public String toString() {
        return text + " " + params;
    }
}
