package dev.rowan.imports;

import dev.rowan.Problem;
import dev.rowan.postgres.Identifiers;
import dev.rowan.postgres.SqlProblems;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Loads a file into PostgreSQL as planned, in one transaction (the new table's creation included):
 * records are read, checked and written to COPY as the file is read, so memory stays flat whatever
 * its size. A malformed record (wrong number of fields, a value its column cannot read, a NUL
 * character) is reported with its line; with onError=skip it is left out of the COPY, with abort
 * nothing is committed (the rest of the file is still read, to report every bad record at once).
 * When PostgreSQL itself refuses a row (a constraint), the transaction is rolled back and its error
 * is reported on the line it came from.
 */
final class Loader {
    /** Errors kept for the report; beyond this they are only counted. */
    static final int MAX_ERRORS = 1000;
    private static final long PROGRESS_EVERY_MS = 250;

    /** One bad record: the line it starts on, the column at fault (if one is), and what is wrong. */
    record RowError(long line, String column, String message) {
    }

    /** Where a load got to. {@code phase} is loading or finishing. */
    interface Progress {
        void report(String phase, long bytesDone, long rowsDone, long rowsSkipped, long errorCount);
    }

    /** How a load ended. Nothing is loaded unless {@code ok}. {@code finishMillis}: the key and statistics of a new table, after the rows. */
    record Outcome(boolean ok, long bytesDone, long rowsDone, long rowsSkipped, long errorCount, List<RowError> errors, String message,
                   Long tableOid, long finishMillis) {
    }

    private final ImportPlan plan;
    private final UploadedFile file;
    private final Progress progress;
    private final List<RowError> errors = new ArrayList<>();
    private long errorCount;
    private long rowsSkipped;
    private long lastReport;

    Loader(ImportPlan plan, UploadedFile file, Progress progress) {
        this.plan = plan;
        this.file = file;
        this.progress = progress;
    }

    Outcome run(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        CopyStream copy = null;
        try {
            Long oid = plan.tableOid;
            if (plan.mode == ImportRequest.Mode.NEW) {
                try (Statement s = c.createStatement()) {
                    s.execute(plan.createSql());
                }
                oid = tableOid(c);
            }
            LineMap lines = new LineMap();
            copy = new CopyStream(c.unwrap(PGConnection.class).getCopyAPI(), plan.copySql());
            FileText.Opened opened = FileText.open(file.path(), plan.settings.encoding());
            long good = 0;
            try (CsvReader reader = new CsvReader(opened.reader(), plan.settings.delimiter(), plan.settings.quote())) {
                boolean sending = true;
                boolean header = plan.settings.header();
                String[] values = new String[plan.targets.size() + (plan.keyColumn != null ? 1 : 0)];
                long records = 0;
                try {
                    while (reader.next()) {
                        if (header) {
                            header = false;
                            continue;
                        }
                        RowError bad = convert(reader, values);
                        if (bad == null) {
                            good++;
                            if (sending) {
                                if (plan.keyColumn != null) values[0] = Long.toString(copy.rows() + 1);
                                lines.add(copy.rows() + 1, reader.line());
                                copy.row(values);
                            }
                        } else {
                            error(bad);
                            if (plan.onError == ImportRequest.OnError.SKIP) {
                                rowsSkipped++;
                            } else if (sending) {
                                copy.cancel();
                                sending = false;
                            }
                        }
                        if ((++records & 1023) == 0) report(opened.counter().bytesRead(), good);
                    }
                } catch (CsvReader.RecordTooLong e) {
                    if (sending) copy.cancel();
                    error(new RowError(e.line, null, e.getMessage()));
                    return failed(c, opened.counter().bytesRead(), good, "Line " + e.line + " could not be read; nothing was loaded.", oid);
                }
                if (!sending) {
                    return failed(c, opened.counter().bytesRead(), good, errorCount + (errorCount == 1 ? " record is" : " records are")
                            + " malformed; nothing was loaded.", oid);
                }
                copy.finish();
            } catch (SQLException e) {
                if (!isCopyError(e)) throw e;
                return refused(e, lines, copy.batchStart(), opened.counter().bytesRead(), c, oid);
            }
            long bytes = opened.counter().bytesRead();
            progress.report("finishing", bytes, good, rowsSkipped, errorCount);
            long finishing = System.nanoTime();
            finish(c, good);
            c.commit();
            long finishMillis = (System.nanoTime() - finishing) / 1_000_000;
            String loaded = good + (good == 1 ? " row" : " rows") + " loaded into " + plan.schema + "." + plan.table
                    + (rowsSkipped > 0 ? "; " + rowsSkipped + " malformed " + (rowsSkipped == 1 ? "record was" : "records were") + " left out" : "") + ".";
            return new Outcome(true, bytes, good, rowsSkipped, errorCount, List.copyOf(errors), loaded, oid, finishMillis);
        } catch (IOException e) {
            abandon(c, copy);
            throw new Problem(500, "upload_unreadable", "The stored upload cannot be read", e.getMessage(), null);
        } catch (SQLException | RuntimeException | Error e) {
            abandon(c, copy);
            throw e;
        } finally {
            if (!c.isClosed()) c.setAutoCommit(autoCommit);
        }
    }

    /** The row's values as COPY should get them, or why it is malformed. */
    private RowError convert(CsvReader r, String[] values) {
        if (r.problem() != null) {
            return new RowError(r.line(), null, Character.toUpperCase(r.problem().charAt(0)) + r.problem().substring(1) + ".");
        }
        int offset = plan.keyColumn != null ? 1 : 0;
        int columns = plan.targets.size();
        if (r.size() != columns) {
            return new RowError(r.line(), null, "This record has " + r.size() + (r.size() == 1 ? " field" : " fields") + "; the file has "
                    + columns + " columns.");
        }
        for (int i = 0; i < columns; i++) {
            ImportPlan.Target t = plan.targets.get(i);
            String raw = r.get(i);
            String value;
            if (raw.isEmpty() || t.format().blankIsNull() && Casts.isBlank(raw)) {
                value = null;
            } else if (raw.indexOf('\0') >= 0) {
                return new RowError(r.line(), t.column(), "The value of \"" + t.column() + "\" holds a NUL character, which PostgreSQL cannot store.");
            } else {
                value = t.format().read(raw);
                if (value == null) {
                    return new RowError(r.line(), t.column(), "Column \"" + t.column() + "\": " + t.format().problem(raw) + ".");
                }
            }
            if (value == null && t.required()) {
                return new RowError(r.line(), t.column(), "Column \"" + t.column() + "\" needs a value (it is NOT NULL).");
            }
            values[offset + i] = value;
        }
        return null;
    }

    private void error(RowError e) {
        errorCount++;
        if (errors.size() < MAX_ERRORS) errors.add(e);
    }

    private void report(long bytes, long rows) {
        long now = System.currentTimeMillis();
        if (now - lastReport >= PROGRESS_EVERY_MS) {
            lastReport = now;
            progress.report("loading", bytes, rows, rowsSkipped, errorCount);
        }
    }

    /** After the rows are in: a new table gets its key and statistics; an existing one's sequences move past the loaded numbers. */
    private void finish(Connection c, long rows) throws SQLException {
        try (Statement s = c.createStatement()) {
            if (plan.mode == ImportRequest.Mode.NEW) {
                if (plan.keyColumn != null) {
                    if (rows > 0) setSequence(c, plan.keyColumn, rows);
                    s.execute("ALTER TABLE " + plan.qualifiedTable() + " ADD PRIMARY KEY (" + Identifiers.quote(plan.keyColumn) + ")");
                }
                // Without statistics the planner and Rowan's row estimates would believe the table empty.
                s.execute("ANALYZE " + plan.qualifiedTable());
                return;
            }
        }
        for (String column : plan.sequenceColumns) {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_catalog.setval(s.seq, m.top) FROM"
                    + " (SELECT pg_catalog.pg_get_serial_sequence(?, ?)::regclass AS seq) s,"
                    + " (SELECT max(" + Identifiers.quote(column) + ")::bigint AS top FROM " + plan.qualifiedTable() + ") m"
                    + " WHERE s.seq IS NOT NULL AND m.top IS NOT NULL AND m.top > coalesce(pg_catalog.pg_sequence_last_value(s.seq), 0)")) {
                ps.setString(1, plan.qualifiedTable());
                ps.setString(2, column);
                ps.execute();
            }
        }
    }

    /** The key was numbered here, not by its identity sequence: the sequence continues after the last number. */
    private void setSequence(Connection c, String column, long last) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence(?, ?), ?)")) {
            ps.setString(1, plan.qualifiedTable());
            ps.setString(2, column);
            ps.setLong(3, last);
            ps.execute();
        }
    }

    private Long tableOid(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
                + " ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?")) {
            ps.setString(1, plan.schema);
            ps.setString(2, plan.table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private Outcome failed(Connection c, long bytes, long rows, String message, Long oid) throws SQLException {
        c.rollback();
        return new Outcome(false, bytes, rows, rowsSkipped, errorCount, List.copyOf(errors), message,
                plan.mode == ImportRequest.Mode.NEW ? null : oid, 0);
    }

    /** PostgreSQL refused a row: its error, on the line of the file that row came from. */
    private Outcome refused(SQLException e, LineMap lines, long batchStart, long bytes, Connection c, Long oid) throws SQLException {
        ServerErrorMessage server = ((PSQLException) e).getServerErrorMessage();
        long copyLine = copyLine(server);
        long row = copyLine > 0 ? batchStart + copyLine : 0;
        long line = row > 0 ? lines.fileLine(row) : 0;
        Problem p = SqlProblems.of(e, plan.existing, columnOf(server));
        error(new RowError(line, (String) p.extensions().get("column"), p.getMessage()));
        errors.sort((a, b) -> Long.compare(a.line(), b.line()));
        return failed(c, bytes, Math.max(0, row - 1), (line > 0 ? "Line " + line : "A row") + " was refused by the database: "
                + p.getMessage() + " Nothing was loaded.", oid);
    }

    private static boolean isCopyError(SQLException e) {
        ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        return server != null && server.getWhere() != null && server.getWhere().contains("COPY ");
    }

    /** The row of one COPY statement an error is about, from its context "COPY table, line N[, column c: ...]"; 0 when unknown. */
    private long copyLine(ServerErrorMessage server) {
        if (server == null || server.getWhere() == null) return 0;
        String prefix = "COPY " + plan.table + ", line ";
        for (String w : server.getWhere().split("\n")) {
            if (w.startsWith(prefix)) {
                Matcher m = Pattern.compile("\\d+").matcher(w.substring(prefix.length()));
                if (m.lookingAt()) return Long.parseLong(m.group());
            }
        }
        return 0;
    }

    /** The column a COPY error names in its context, when it is one of ours. */
    private String columnOf(ServerErrorMessage server) {
        if (server == null || server.getWhere() == null) return null;
        for (ImportPlan.Target t : plan.targets) {
            if (server.getWhere().contains(", column " + t.column() + ":")) return t.column();
        }
        return null;
    }

    /**
     * Ends a load that failed: a COPY still open is cancelled first, because the driver would wait for
     * ever to roll back (or do anything else) on a connection whose COPY is under way; then the
     * transaction, the new table and every lock of the load go with the rollback.
     */
    private static void abandon(Connection c, CopyStream copy) {
        try {
            if (copy != null) copy.cancel();
        } catch (SQLException ignored) {
            // the connection is broken: the driver has let go of the COPY, and the rollback below fails quietly too
        }
        try {
            if (!c.isClosed()) c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool drops it and PostgreSQL rolled back already
        }
    }

    /**
     * Which line of the file each COPY row came from. Rows are numbered from 1 in order; the file
     * line runs ahead by the header, blank lines, multi-line records and skipped rows. Only the
     * points where that lead changes are kept, so a million-row file with none of those costs nothing.
     */
    static final class LineMap {
        private long[] rows = new long[16];
        private long[] leads = new long[16];
        private int n;

        void add(long copyRow, long fileLine) {
            long lead = fileLine - copyRow;
            if (n > 0 && leads[n - 1] == lead) return;
            if (n == rows.length) {
                rows = Arrays.copyOf(rows, n * 2);
                leads = Arrays.copyOf(leads, n * 2);
            }
            rows[n] = copyRow;
            leads[n] = lead;
            n++;
        }

        long fileLine(long copyRow) {
            int i = Arrays.binarySearch(rows, 0, n, copyRow);
            if (i < 0) i = -i - 2;
            return i < 0 ? copyRow : copyRow + leads[i];
        }
    }
}
