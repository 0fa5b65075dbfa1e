package dev.rowan.records;

import dev.rowan.catalog.Catalog;
import dev.rowan.catalog.Column;
import dev.rowan.catalog.ForeignKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One page of records as PostgreSQL wrote them (JSON text per record, never parsed here), whether
 * more follow, the last record's sort-key values (for the next cursor) and the foreign-key values
 * seen on the page (for their summaries).
 */
record Page(List<String> records, boolean more, List<String> lastKeys, Map<ForeignKey, Set<List<String>>> references, Long statistics) {

    /**
     * Reads {@code limit} records (and one more, to know whether more follow) in {@code order}, after
     * the cursor values {@code after} when given. Foreign keys of {@code withReferences} are collected.
     */
    static Page read(Connection c, TableInfo table, Filter where, List<SortKey> order, List<String> after, int limit, long offset,
                     List<ForeignKey> withReferences) throws SQLException {
        return read(c, table, where, order, after, limit, offset, withReferences, null);
    }

    /**
     * The same, with the {@code check} of the cached tables the read was built from run in the same
     * round trip: null when it fails (the tables changed, and the page may not be what was asked for).
     */
    static Page read(Connection c, TableInfo table, Filter where, List<SortKey> order, List<String> after, int limit, long offset,
                     List<ForeignKey> withReferences, TableCache.Check check) throws SQLException {
        // Next to each record's JSON: the sort keys in order (columns 2…), then foreign-key columns not among them.
        List<Column> extra = new ArrayList<>();
        for (SortKey k : order) extra.add(k.column());
        // Each foreign key's set of values, reached by position: looking a record (with its lists) up per row costs more than the row.
        Map<ForeignKey, Set<List<String>>> references = new LinkedHashMap<>();
        List<Collected> collected = new ArrayList<>(withReferences.size());
        for (ForeignKey fk : withReferences) {
            int[] positions = new int[fk.columns().size()];
            for (int i = 0; i < positions.length; i++) {
                Column col = table.requireColumn(fk.columns().get(i));
                if (!extra.contains(col)) extra.add(col);
                positions[i] = 2 + extra.indexOf(col);
            }
            Set<List<String>> values = new LinkedHashSet<>();
            references.put(fk, values);
            collected.add(new Collected(positions, values));
        }
        SqlFragment condition = Conditions.of(where, table);
        if (after != null) {
            condition = SqlFragment.and(List.of(condition, Conditions.after(order, after, table)));
        }
        SqlFragment page = QueryBuilder.page(table, condition, order, limit + 1L, offset, extra);
        List<String> records = new ArrayList<>(Math.min(limit, RecordQuery.MAX_LIMIT));
        List<String> lastKeys = List.of();
        boolean more = false;
        List<SqlFragment> statements = new ArrayList<>(3);
        if (check != null) statements.add(check.sql());
        statements.add(page);
        // Without a filter the count may come from the table's statistics: read in the same round trip.
        boolean withStatistics = where == null && !table.table().isView();
        if (withStatistics) {
            statements.add(SqlFragment.sql("SELECT " + Catalog.ESTIMATED_ROWS + " FROM pg_catalog.pg_class c WHERE c.oid = ")
                    .append(SqlFragment.param(table.oid())));
        }
        Long statistics = null;
        try (PreparedStatement ps = SqlFragment.join("; ", statements).prepare(c)) {
            ps.execute();
            if (check != null) {
                try (ResultSet fingerprints = ps.getResultSet()) {
                    if (!check.passes(fingerprints)) return null;
                }
                ps.getMoreResults();
            }
            try (ResultSet rs = ps.getResultSet()) {
                while (rs.next()) {
                    if (records.size() == limit) {
                        more = true;
                        break;
                    }
                    records.add(rs.getString(1));
                    for (Collected r : collected) r.add(rs);
                    if (records.size() == limit) {
                        List<String> keys = new ArrayList<>(order.size());
                        for (int i = 0; i < order.size(); i++) keys.add(rs.getString(2 + i));
                        lastKeys = keys;
                    }
                }
            }
            if (withStatistics && ps.getMoreResults()) {
                try (ResultSet rs = ps.getResultSet()) {
                    if (rs.next()) {
                        long rows = rs.getLong(1);
                        statistics = rs.wasNull() ? null : Math.max(0, rows);
                    }
                }
            }
        }
        return new Page(records, more, lastKeys, references, statistics);
    }

    /** A foreign key's values on the page, read from the result's columns at {@code positions}. */
    private record Collected(int[] positions, Set<List<String>> values) {
        /** The row's foreign-key value, unless a part of it is NULL (then it refers to nothing). */
        void add(ResultSet rs) throws SQLException {
            List<String> key = new ArrayList<>(positions.length);
            for (int p : positions) {
                String v = rs.getString(p);
                if (v == null) return;
                key.add(v);
            }
            values.add(key);
        }
    }
}
