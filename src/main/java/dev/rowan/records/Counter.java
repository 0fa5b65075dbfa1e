package dev.rowan.records;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.catalog.Catalog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * How many rows match, at a cost that does not grow with the table. Exact while that is cheap,
 * otherwise the planner's estimate, marked as such:
 * <ol>
 * <li>A page that shows where the rows end tells the count itself (the first page holding fewer rows
 * than asked for, or any offset page that reached the end): no query.</li>
 * <li>Otherwise the estimate comes first: the table's statistics without a filter, the planner's row
 * estimate for the filter (EXPLAIN, which runs nothing). Far above the limit (more than ten times),
 * the estimate is the answer: no scan.</li>
 * <li>Else the rows are counted, but no further than the limit: within it the count is exact;
 * beyond it the answer is the estimate, raised to what is known to exist.</li>
 * </ol>
 */
final class Counter {
    /** Beyond this multiple of the limit an estimate is trusted without counting. */
    private static final long TRUST_ESTIMATE_FACTOR = 10;

    record Count(long count, boolean estimate) {
    }

    private final long exactLimit;

    Counter(long exactLimit) {
        this.exactLimit = exactLimit;
    }

    /**
     * {@code shown} rows were read at {@code offset} ({@code offset} is null after a cursor, whose
     * position is unknown); {@code more} says whether at least one more row followed.
     */
    Count count(Connection c, TableInfo table, Filter where, Long offset, int shown, boolean more) throws SQLException {
        if (!more && offset != null && (shown > 0 || offset == 0)) {
            return new Count(offset + shown, false);
        }
        long known = (offset == null ? 0 : offset) + shown + (more ? 1 : 0);
        SqlFragment condition = Conditions.of(where, table);
        Long stats = where == null ? Catalog.estimatedRows(c, table.oid()) : null;
        long estimate = stats != null ? stats : planned(c, table, condition);
        if (estimate > TRUST_ESTIMATE_FACTOR * exactLimit) {
            return new Count(Math.max(estimate, known), true);
        }
        long counted;
        try (PreparedStatement ps = QueryBuilder.count(table, condition, exactLimit + 1).prepare(c); ResultSet rs = ps.executeQuery()) {
            rs.next();
            counted = rs.getLong(1);
        }
        if (counted <= exactLimit) {
            return new Count(counted, false);
        }
        return new Count(Math.max(Math.max(estimate, exactLimit + 1), known), true);
    }

    /** The planner's estimate of the matching rows. */
    private static long planned(Connection c, TableInfo table, SqlFragment condition) throws SQLException {
        try (PreparedStatement ps = QueryBuilder.explain(table, condition).prepare(c); ResultSet rs = ps.executeQuery()) {
            rs.next();
            JsonNode plan = JsonText.read(rs.getString(1));
            return Math.round(plan.path(0).path("Plan").path("Plan Rows").asDouble());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("EXPLAIN gave no JSON", e);
        }
    }
}
