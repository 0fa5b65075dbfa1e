package dev.rowan.records;

import dev.rowan.catalog.Column;
import dev.rowan.postgres.PostgresErrors;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A table (or the rows of a filter and search, in a sort order) as CSV: RFC 4180 quoting, CRLF line
 * ends, UTF-8, a header row of column names, values in PostgreSQL's text form. An empty cell is NULL
 * and a quoted empty cell ({@code ""}) is an empty text, as PostgreSQL's COPY writes them. Rows are
 * fetched through a server-side cursor a thousand at a time, so memory stays flat for any number of rows.
 */
final class CsvExport {
    private static final Logger LOG = LoggerFactory.getLogger(CsvExport.class);
    static final int FETCH_SIZE = 1000;

    private CsvExport() {
    }

    /**
     * Runs inside a transaction (a cursor needs one); the connection's pool resets it afterwards. A
     * failure before the file begins is thrown as it is, to be answered as a problem; once the file
     * has begun, a failure of the database is logged and thrown as an IOException, as a client gone
     * would be: the download must then be cut, because no error can be told inside a CSV file.
     */
    static void write(Connection c, TableInfo table, SqlFragment where, List<SortKey> order, RecordService.CsvTarget target) throws SQLException, IOException {
        c.setAutoCommit(false);
        boolean begun = false;
        long rows = 0;
        try {
            try (PreparedStatement ps = QueryBuilder.export(table, where, order).prepare(c)) {
                ps.setFetchSize(FETCH_SIZE);
                try (ResultSet rs = ps.executeQuery()) {
                    String file = fileName(table.name());
                    Writer out = new BufferedWriter(new OutputStreamWriter(target.open(file, contentDisposition(table.name(), file)),
                            StandardCharsets.UTF_8), 1 << 16);
                    begun = true;
                    List<Column> columns = table.columns();
                    StringBuilder line = new StringBuilder(256);
                    for (int i = 0; i < columns.size(); i++) {
                        if (i > 0) line.append(',');
                        field(line, columns.get(i).name());
                    }
                    out.append(line).append("\r\n");
                    while (rs.next()) {
                        line.setLength(0);
                        for (int i = 1; i <= columns.size(); i++) {
                            if (i > 1) line.append(',');
                            field(line, rs.getString(i));
                        }
                        out.append(line).append("\r\n");
                        rows++;
                    }
                    out.flush();
                }
            }
            c.commit();
        } catch (SQLException e) {
            if (!begun) throw e;
            LOG.warn("The CSV export of {} broke off after {} rows, so its download is cut short: {} (SQLState {})", table.sqlName(),
                    rows, PostgresErrors.firstLine(e.getMessage()), e.getSQLState());
            throw new IOException("the database failed during the export", e);
        }
    }

    /** One field: NULL as nothing, anything holding a quote, comma, line break or nothing at all in quotes. */
    static void field(StringBuilder line, String value) {
        if (value == null) return;
        boolean quote = value.isEmpty();
        for (int i = 0; i < value.length() && !quote; i++) {
            char ch = value.charAt(i);
            quote = ch == '"' || ch == ',' || ch == '\n' || ch == '\r';
        }
        if (!quote) {
            line.append(value);
            return;
        }
        line.append('"');
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '"') line.append('"');
            line.append(ch);
        }
        line.append('"');
    }

    /** The table's name made safe for a file name everywhere: letters, digits, dot, dash and underscore. */
    static String fileName(String tableName) {
        String safe = tableName.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^[._]+", "");
        if (safe.length() > 100) safe = safe.substring(0, 100);
        return (safe.isEmpty() ? "export" : safe) + ".csv";
    }

    /** With the real name too (RFC 6266 filename*), for browsers that read it. */
    private static String contentDisposition(String tableName, String fileName) {
        return "attachment; filename=\"" + fileName + "\"; filename*=UTF-8''"
                + URLEncoder.encode(tableName + ".csv", StandardCharsets.UTF_8).replace("+", "%20");
    }
}
