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
 * <li>Otherwise the estimate comes first: the table's statistics without a filter (read with the page, in
 * the same round trip), the planner's row
 * estimate for the filter (EXPLAIN, which runs nothing). Far above the limit (more than ten times),
 * the estimate is the answer: no scan. So is it when the planner expects counting to cost more than
 * reading a few times the limit's rows would: a rare value in a big table without an index matches
 * few rows, but finding them all means reading the whole table.</li>
 * <li>Else the rows are counted, but no further than the limit: within it the count is exact;
 * beyond it the answer is the estimate, raised to what is known to exist.</li>
 * </ol>
 */
final class Counter {
    /** Beyond this multiple of the limit an estimate is trusted without counting. */
    private static final long TRUST_ESTIMATE_FACTOR = 10;

    /**
     * What a count may cost, in planner cost units per row of the limit. Reading a row of a table
     * sequentially costs about 0.01 to 0.03 units (cpu_tuple_cost plus its share of a page), so a count
     * may read some ten to twenty-five times the limit's rows: a few milliseconds.
     */
    private static final double COST_PER_LIMIT_ROW = 0.25;

    /** Small limits still let a count read this many rows' worth: counting a few thousand rows is always cheap. */
    private static final long MIN_COUNT_BUDGET_ROWS = 1000;

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
        return count(c, table, where, offset, shown, more, null);
    }

    /** The same, with the table's statistics already read (null: read them here when needed). */
    Count count(Connection c, TableInfo table, Filter where, Long offset, int shown, boolean more, Long statistics) throws SQLException {
        if (!more && offset != null && (shown > 0 || offset == 0)) {
            return new Count(offset + shown, false);
        }
        long known = (offset == null ? 0 : offset) + shown + (more ? 1 : 0);
        SqlFragment condition = Conditions.of(where, table);
        Long stats = where != null ? null : statistics != null ? statistics : Catalog.estimatedRows(c, table.oid());
        long estimate;
        if (stats != null) {
            estimate = stats;
        } else {
            Plan plan = planned(c, table, condition);
            estimate = plan.rows();
            if (plan.countCost(exactLimit + 1) > COST_PER_LIMIT_ROW * Math.max(exactLimit, MIN_COUNT_BUDGET_ROWS)) {
                return new Count(Math.max(estimate, known), true);
            }
        }
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

    /** The planner's view of the matching rows: how many, and what reading them costs (startup and total). */
    private record Plan(long rows, double startupCost, double totalCost) {
        /** The cost of reading no more than {@code atMost} of them, as the planner prices a LIMIT. */
        double countCost(long atMost) {
            double fraction = rows <= atMost ? 1 : (double) atMost / rows;
            return startupCost + (totalCost - startupCost) * fraction;
        }
    }

    /** The planner's estimate for the matching rows. */
    private static Plan planned(Connection c, TableInfo table, SqlFragment condition) throws SQLException {
        try (PreparedStatement ps = QueryBuilder.explain(table, condition).prepare(c); ResultSet rs = ps.executeQuery()) {
            rs.next();
            JsonNode plan = JsonText.read(rs.getString(1)).path(0).path("Plan");
            return new Plan(Math.round(plan.path("Plan Rows").asDouble()), plan.path("Startup Cost").asDouble(), plan.path("Total Cost").asDouble());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("EXPLAIN gave no JSON", e);
        }
    }
}
