package dev.rowan.records;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.rowan.catalog.Reference;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The records of one other table that refer to a record, through one foreign key: a count and the first few. */
final class Referrers {
    private Referrers() {
    }

    /**
     * Writes {@code {tableOid, schema, table, constraint, columns, count, countIsEstimate, results}}.
     * {@code targets} holds the referred record's values by column name; a NULL among the values the
     * foreign key uses means nothing can refer to it through that key.
     */
    static void write(JsonGenerator g, Connection c, Counter counter, TableInfo referring, Reference r, Map<String, String> targets)
            throws IOException, SQLException {
        List<Filter> parts = new ArrayList<>();
        boolean referable = true;
        for (int i = 0; i < r.columns().size(); i++) {
            String value = targets.get(r.referencedColumns().get(i));
            if (value == null) referable = false;
            parts.add(new Filter.KeyEquals(referring.requireColumn(r.columns().get(i)), value));
        }
        g.writeStartObject();
        g.writeNumberField("tableOid", r.tableOid());
        g.writeStringField("schema", r.schema());
        g.writeStringField("table", r.table());
        g.writeStringField("constraint", r.name());
        g.writeArrayFieldStart("columns");
        for (String col : r.columns()) g.writeString(col);
        g.writeEndArray();
        if (!referable) {
            g.writeNumberField("count", 0);
            g.writeBooleanField("countIsEstimate", false);
            g.writeArrayFieldStart("results");
            g.writeEndArray();
        } else {
            Filter where = Filter.all(parts);
            Page page = Page.read(c, referring, where, SortKey.complete(List.of(), referring), null, RecordService.REFERRERS_SHOWN, 0, List.of());
            Counter.Count count = counter.count(c, referring, where, 0L, page.records().size(), page.more());
            g.writeNumberField("count", count.count());
            g.writeBooleanField("countIsEstimate", count.estimate());
            g.writeArrayFieldStart("results");
            for (String record : page.records()) g.writeRawValue(record);
            g.writeEndArray();
        }
        g.writeEndObject();
    }
}
