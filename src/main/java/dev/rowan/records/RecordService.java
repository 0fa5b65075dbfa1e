package dev.rowan.records;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.Problem;
import dev.rowan.catalog.Catalog;
import dev.rowan.catalog.Column;
import dev.rowan.catalog.ForeignKey;
import dev.rowan.catalog.Reference;
import dev.rowan.postgres.SqlProblems;
import dev.rowan.userdb.UserDatabases;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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
import java.util.function.Function;

/**
 * The records of a user database's tables: pages of them (filtered, searched, sorted, counted),
 * single records, changes, foreign-key summaries, candidates and referrers, and CSV export. Each
 * call is one request: parse it against the table, plan, build SQL, and pass PostgreSQL's JSON on.
 */
public final class RecordService {
    /** Records of each referring table shown with a record. */
    static final int REFERRERS_SHOWN = 20;
    static final int DEFAULT_CANDIDATES = 20;
    static final int MAX_CANDIDATES = 100;

    private final UserDatabases databases;
    private final Counter counter;
    private final TableCache tables = new TableCache();

    /** Where an export goes: opened only once the query runs, so a failing query can still be answered as a problem. */
    public interface CsvTarget {
        OutputStream open(String fileName, String contentDisposition) throws IOException;
    }

    public RecordService(UserDatabases databases, int exactCountLimit) {
        this.databases = databases;
        this.counter = new Counter(exactCountLimit);
    }

    /**
     * A page of records: {@code {count, countIsEstimate, results, next, summaries}} as JSON. The page
     * is first read with the tables as last seen and their check in the same round trip; only when
     * they changed (or that read failed) is it read again after reading the tables afresh.
     */
    public String page(long db, long oid, Function<String, String> param) {
        return databases.withConnection(db, c -> {
            TableCache.Loaded cached = tables.cached(db, oid);
            if (cached != null) {
                try {
                    String answer = page(c, cached, param, TableCache.check(cached));
                    if (answer != null) return answer;
                } catch (Problem | SQLException maybeStale) {
                    // answered below from the catalog as it is now, which also explains a failure that remains
                }
            }
            return page(c, tables.load(c, db, oid), param, null);
        });
    }

    /** The page as JSON; null when {@code check} shows the tables changed since they were read. */
    private String page(Connection c, TableCache.Loaded loaded, Function<String, String> param, TableCache.Check check) throws SQLException {
        TableInfo table = loaded.main();
        RecordQuery q = RecordQuery.parse(param, table);
        List<ForeignKey> summarized = summarizable(loaded);
        Page page;
        Counter.Count count;
        Map<String, Map<String, String>> summaries = new LinkedHashMap<>();
        try {
            page = Page.read(c, table, q.where(), q.order(), q.after() == null ? null : q.after().values(), q.limit(), q.offset(), summarized, check);
            if (page == null) return null;
            count = counter.count(c, table, q.where(), q.after() == null ? q.offset() : null, page.records().size(), page.more(), page.statistics());
            for (ForeignKey fk : summarized) {
                summaries.put(fk.columns().get(0),
                        ForeignKeys.summaries(c, fk, loaded.referenced(fk), page.references().getOrDefault(fk, Set.of())));
            }
        } catch (SQLException e) {
            if (check != null) throw e;
            throw readProblem(c, table, q, e);
        }
        String next = page.more() && !page.records().isEmpty() && table.hasPrimaryKey()
                ? new Cursor(RecordQuery.orderSpec(q.order()), q.queryDigest(), page.lastKeys()).encode() : null;
        return json(g -> {
            g.writeStartObject();
            g.writeNumberField("count", count.count());
            g.writeBooleanField("countIsEstimate", count.estimate());
            g.writeArrayFieldStart("results");
            for (String record : page.records()) g.writeRawValue(record);
            g.writeEndArray();
            g.writeStringField("next", next);
            g.writeObjectField("summaries", summaries);
            g.writeEndObject();
        });
    }

    /** One record as JSON, or a 404 problem. */
    public String record(long db, long oid, String key) {
        return databases.withConnection(db, c -> {
            TableInfo table = tables.load(c, db, oid).main();
            List<String> values = RecordKey.parse(key, table);
            List<String> found = records(c, table, RecordKey.filter(values, table), values);
            if (found.isEmpty()) throw RecordKey.notFound(table, values);
            return found.get(0);
        });
    }

    /** The filter operators of each column of the table, for a filter builder. */
    public List<Map<String, Object>> filterOperators(long db, long oid) {
        return databases.withConnection(db, c -> {
            TableInfo table = tables.load(c, db, oid).main();
            List<Map<String, Object>> out = new ArrayList<>();
            for (Column col : table.columns()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("column", col.name());
                m.put("attnum", col.attnum());
                m.put("kind", col.kind());
                m.put("operators", Operator.forKind(col.kind()).stream()
                        .filter(op -> op != Operator.HAS || table.details(col).elementType() != null).toList());
                out.add(m);
            }
            return out;
        });
    }

    public String insert(long db, long oid, String body) {
        JsonNode json = body(body);
        return databases.withConnection(db, c -> RecordWriter.insert(c, tables.load(c, db, oid).main(), json));
    }

    public String update(long db, long oid, String key, String body) {
        JsonNode json = body(body);
        return databases.withConnection(db, c -> {
            return RecordWriter.update(c, tables.load(c, db, oid).main(), key, json);
        });
    }

    public void delete(long db, long oid, String key) {
        databases.withConnection(db, c -> {
            RecordWriter.delete(c, tables.load(c, db, oid).main(), key);
            return null;
        });
    }

    /** Deletes the records whose keys the body lists, all or none; answers {@code {deleted: n}}. */
    public Map<String, Long> deleteMany(long db, long oid, String body) {
        JsonNode json = body(body);
        return databases.withConnection(db, c -> Map.of("deleted", RecordWriter.deleteMany(c, tables.load(c, db, oid).main(), json)));
    }

    /**
     * Records a foreign-key column may point at, for a record picker: {@code [{key, summary, values}]},
     * where {@code values} maps the foreign key's columns to the values to store.
     */
    public String candidates(long db, long oid, int attnum, Function<String, String> param) {
        return databases.withConnection(db, c -> {
            TableCache.Loaded loaded = tables.load(c, db, oid);
            TableInfo table = loaded.main();
            Column column = table.table().column(attnum).orElseThrow(() -> new Problem(404, "column_not_found", "No such column",
                    "\"" + table.name() + "\" has no column number " + attnum + ".", "Reload the table to see its columns."));
            ForeignKey fk = table.table().foreignKeys().stream().filter(k -> k.attnums().contains(attnum)).findFirst()
                    .orElseThrow(() -> new Problem(400, "not_a_foreign_key", "The column refers to nothing",
                            "\"" + column.name() + "\" is not part of a foreign key, so it has no candidates.", null));
            TableInfo referenced = loaded.referenced(fk);
            if (referenced == null) throw Catalog.tableNotFound(fk.referencedOid());
            int limit = (int) Math.max(1, RecordQuery.number(param, "limit", DEFAULT_CANDIDATES, MAX_CANDIDATES));
            try (PreparedStatement ps = Candidates.query(referenced, fk, RecordQuery.search(param), limit).prepare(c); ResultSet rs = ps.executeQuery()) {
                return json(g -> Candidates.write(g, rs, fk));
            } catch (SQLException e) {
                throw SqlProblems.of(e, referenced.table(), null);
            }
        });
    }

    /**
     * For each foreign key elsewhere that points at this table: the records referring to this record
     * ({@code tableOid, schema, table, constraint, columns, count, countIsEstimate, results}).
     */
    public String referrers(long db, long oid, String key) {
        return databases.withConnection(db, c -> {
            TableInfo table = tables.load(c, db, oid).main();
            List<String> keyValues = RecordKey.parse(key, table);
            List<Reference> references = Catalog.referencesTo(c, oid);
            Set<String> targetNames = new LinkedHashSet<>();
            references.forEach(r -> targetNames.addAll(r.referencedColumns()));
            Map<String, String> targets = targetValues(c, table, keyValues, targetNames);
            Set<Long> oids = new LinkedHashSet<>();
            references.forEach(r -> oids.add(r.tableOid()));
            Map<Long, TableInfo> referring = tables.loadAll(c, db, oids);
            return json(g -> {
                g.writeStartArray();
                for (Reference r : references) {
                    TableInfo other = referring.get(r.tableOid());
                    if (other != null) Referrers.write(g, c, counter, other, r, targets);
                }
                g.writeEndArray();
            });
        });
    }

    /** The values of {@code names} in the record with this key (404 when there is none). */
    private Map<String, String> targetValues(Connection c, TableInfo table, List<String> key, Set<String> names) throws SQLException {
        List<Column> columns = names.stream().map(table::requireColumn).toList();
        List<String> texts = new ArrayList<>();
        for (Column col : columns) texts.add(Conditions.column(col) + "::text");
        SqlFragment sql = SqlFragment.sql("SELECT TRUE" + (texts.isEmpty() ? "" : ", " + String.join(", ", texts)) + " FROM " + table.sqlName()
                + " AS t WHERE ").append(Conditions.of(RecordKey.filter(key, table), table));
        try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) throw RecordKey.notFound(table, key);
            Map<String, String> out = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) out.put(columns.get(i).name(), rs.getString(i + 2));
            return out;
        } catch (SQLException e) {
            if (Blame.isValueError(e)) throw RecordKey.notFound(table, key);
            throw e;
        }
    }

    /** Streams the matching rows as CSV in the requested order (see {@link CsvExport}). */
    public void export(long db, long oid, Function<String, String> param, CsvTarget target) {
        databases.withConnection(db, c -> {
            TableInfo table = tables.load(c, db, oid).main();
            Filter where = RecordQuery.where(param, table);
            List<SortKey> order = SortKey.complete(SortKey.parse(param.apply("order"), table), table);
            try {
                CsvExport.write(c, table, Conditions.of(where, table), order, target);
            } catch (SQLException e) {
                throw readProblem(c, table, new RecordQuery(0, 0, order, where, "", null), e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return null;
        });
    }

    /** The records a condition picks, each as JSON; a key that cannot be of the key's type picks none. */
    private static List<String> records(Connection c, TableInfo table, Filter where, List<String> key) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = QueryBuilder.records(table, Conditions.of(where, table)).prepare(c); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
        } catch (SQLException e) {
            if (Blame.isValueError(e)) throw RecordKey.notFound(table, key);
            throw SqlProblems.of(e, table.table(), null);
        }
        return out;
    }

    /**
     * Foreign keys whose referenced table the role can read: their values get summaries, keyed by the
     * key's first column, so of two keys starting with the same column only the first is summarized.
     */
    private static List<ForeignKey> summarizable(TableCache.Loaded loaded) {
        Map<String, ForeignKey> byColumn = new LinkedHashMap<>();
        for (ForeignKey fk : loaded.main().table().foreignKeys()) {
            if (loaded.referenced(fk) != null) byColumn.putIfAbsent(fk.columns().get(0), fk);
        }
        return List.copyOf(byColumn.values());
    }

    /**
     * A failed read: a filter value or cursor value that the column's type cannot read is a 400
     * naming it; anything else is mapped like any PostgreSQL error.
     */
    private static Problem readProblem(Connection c, TableInfo table, RecordQuery q, SQLException e) throws SQLException {
        if (Blame.isValueError(e)) {
            for (Filter.Leaf leaf : typedLeaves(q.where(), new ArrayList<>())) {
                TableInfo.Details d = table.details(leaf.column());
                SqlFragment value = leaf.op() == Operator.HAS ? Values.element(d, leaf.value()) : Values.typed(leaf.column(), d, leaf.value());
                SQLException bad = Blame.unreadable(c, value);
                if (bad != null) {
                    Problem p = SqlProblems.of(bad, table.table(), leaf.column().name());
                    return new Problem(400, "invalid_filter_value", "A filter value does not fit its column",
                            "\"" + leaf.value() + "\" cannot be compared with \"" + leaf.column().name() + "\": " + p.detail(),
                            p.hint() != null ? p.hint() : "Give a value of the column's type.", Map.of(),
                            Map.of("column", leaf.column().name(), "value", leaf.value()));
                }
            }
            if (q.after() != null) {
                for (int i = 0; i < q.order().size(); i++) {
                    SortKey k = q.order().get(i);
                    String v = q.after().values().get(i);
                    if (v != null && table.details(k.column()).orderable()
                            && Blame.unreadable(c, Values.exact(table.details(k.column()), v)) != null) {
                        throw new Problem(400, "invalid_cursor", "The cursor cannot be read",
                                "\"after\" holds a value that \"" + k.column().name() + "\" cannot hold.", "Start again from the first page.");
                    }
                }
            }
        }
        return SqlProblems.of(e, table.table(), null);
    }

    /** The leaves that compare with a value of the column's type (the ones whose value PostgreSQL may refuse). */
    private static List<Filter.Leaf> typedLeaves(Filter f, List<Filter.Leaf> into) {
        if (f instanceof Filter.And and) {
            and.parts().forEach(p -> typedLeaves(p, into));
        } else if (f instanceof Filter.Or or) {
            or.parts().forEach(p -> typedLeaves(p, into));
        } else if (f instanceof Filter.Not not) {
            typedLeaves(not.inner(), into);
        } else if (f instanceof Filter.Leaf leaf && leaf.op().operand() == Operator.Operand.VALUE
                && (leaf.op() == Operator.HAS || !Conditions.comparesText(leaf.column()))) {
            into.add(leaf);
        }
        return into;
    }

    private static JsonNode body(String text) {
        if (text == null || text.isBlank()) {
            throw new Problem(400, "malformed_json", "The request body is empty", "This request needs a JSON body.", null);
        }
        try {
            return JsonText.read(text);
        } catch (JsonProcessingException e) {
            throw new Problem(400, "malformed_json", "The request body is not valid JSON",
                    "The body could not be read as JSON: " + e.getOriginalMessage(), "Send a JSON object.");
        }
    }

    interface JsonWriting {
        void write(JsonGenerator g) throws IOException, SQLException;
    }

    static String json(JsonWriting writing) throws SQLException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JsonText.MAPPER.getFactory().createGenerator(out)) {
            writing.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
