package dev.rowan.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * Import jobs: one row each, written by the Rowan instance that runs the job (state, progress,
 * errors) and read by any instance that is asked about it. JSON members (settings, columns,
 * errors) are stored as the imports package wrote them.
 */
public final class ImportStore {
    private static final String COLUMNS = "id, database_id, state, phase, import_mode, on_error, schema_name, table_name, table_oid, file_name,"
            + " settings, column_list, bytes_total, bytes_done, rows_done, rows_skipped, error_count, errors, message,"
            + " created_at, started_at, finished_at, heartbeat_at";

    /** One import as stored. {@code state} is running, done or failed; {@code phase} says where a running one is. */
    public record StoredImport(long id, long databaseId, String state, String phase, String mode, String onError, String schema,
                               String table, Long tableOid, String fileName, String settings, String columns, long bytesTotal,
                               long bytesDone, long rowsDone, long rowsSkipped, long errorCount, String errors, String message,
                               long createdAt, Long startedAt, Long finishedAt, long heartbeatAt) {
    }

    /** What an import is asked to do, as it is queued. */
    public record NewImport(long databaseId, String instanceId, String mode, String onError, String schema, String table, Long tableOid,
                            String fileName, String settings, String columns, long bytesTotal) {
    }

    private final Jdbc jdbc;

    public ImportStore(InternalDatabase db) {
        this.jdbc = db.jdbc();
    }

    private static StoredImport row(ResultSet rs) throws SQLException {
        return new StoredImport(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getString(8), nullableLong(rs, 9), rs.getString(10), rs.getString(11), rs.getString(12),
                rs.getLong(13), rs.getLong(14), rs.getLong(15), rs.getLong(16), rs.getLong(17), rs.getString(18), rs.getString(19),
                rs.getLong(20), nullableLong(rs, 21), nullableLong(rs, 22), rs.getLong(23));
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    /** Queues an import (state running, phase queued) and returns its id. */
    public long create(NewImport n, long now) {
        return jdbc.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO rowan_import (database_id, instance_id, state, phase, import_mode,"
                    + " on_error, schema_name, table_name, table_oid, file_name, settings, column_list, bytes_total, bytes_done, rows_done,"
                    + " rows_skipped, error_count, created_at, heartbeat_at) VALUES (?, ?, 'running', 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, n.databaseId());
                ps.setString(2, n.instanceId());
                ps.setString(3, n.mode());
                ps.setString(4, n.onError());
                ps.setString(5, n.schema());
                ps.setString(6, n.table());
                ps.setObject(7, n.tableOid());
                ps.setString(8, n.fileName());
                ps.setString(9, n.settings());
                ps.setString(10, n.columns());
                ps.setLong(11, n.bytesTotal());
                ps.setLong(12, now);
                ps.setLong(13, now);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    public Optional<StoredImport> find(long databaseId, long id) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM rowan_import WHERE database_id = ? AND id = ?", ImportStore::row, databaseId, id);
    }

    /** The latest imports into a database, newest first. */
    public List<StoredImport> recent(long databaseId, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM rowan_import WHERE database_id = ? ORDER BY id DESC LIMIT ?", ImportStore::row,
                databaseId, limit);
    }

    /**
     * Where a running import got to; the first progress written also records when it started (a write
     * that failed is not retried as such: the next one carries newer figures).
     */
    public void progress(long id, String phase, long bytesDone, long rowsDone, long rowsSkipped, long errorCount, long now) {
        jdbc.update("UPDATE rowan_import SET phase = ?, bytes_done = ?, rows_done = ?, rows_skipped = ?, error_count = ?,"
                + " started_at = coalesce(started_at, ?), heartbeat_at = ? WHERE id = ? AND state = 'running'",
                phase, bytesDone, rowsDone, rowsSkipped, errorCount, now, now, id);
    }

    /** Says the instance still runs these imports (also while one waits on the database and has no progress to report). */
    public void heartbeat(List<Long> ids, long now) {
        for (long id : ids) {
            jdbc.update("UPDATE rowan_import SET heartbeat_at = ? WHERE id = ? AND state = 'running'", now, id);
        }
    }

    /** How an import ended; {@code startedAt} is kept only if no progress write recorded when it started (all of them may have failed). */
    public void finish(long id, String state, long bytesDone, long rowsDone, long rowsSkipped, long errorCount, String errors,
                       String message, Long tableOid, long startedAt, long now) {
        jdbc.update("UPDATE rowan_import SET state = ?, phase = NULL, bytes_done = ?, rows_done = ?, rows_skipped = ?, error_count = ?,"
                + " errors = ?, message = ?, table_oid = coalesce(?, table_oid), started_at = coalesce(started_at, ?), finished_at = ?,"
                + " heartbeat_at = ? WHERE id = ?",
                state, bytesDone, rowsDone, rowsSkipped, errorCount, errors, message, tableOid, startedAt, now, now, id);
    }

    /**
     * Marks failed the imports that no Rowan runs any more: those this instance ran before it
     * restarted, and those whose instance has not been heard of since {@code silentSince}.
     * Returns how many.
     */
    public int failAbandoned(String instanceId, long silentSince, String message, String errors, long now) {
        return jdbc.update("UPDATE rowan_import SET state = 'failed', phase = NULL, message = ?, errors = ?, error_count = 1, finished_at = ?"
                + " WHERE state = 'running' AND (instance_id = ? OR heartbeat_at < ?)", message, errors, now, instanceId, silentSince);
    }

    /** The same for one import, when a status request finds it silent. */
    public int failIfSilent(long id, long silentSince, String message, String errors, long now) {
        return jdbc.update("UPDATE rowan_import SET state = 'failed', phase = NULL, message = ?, errors = ?, error_count = 1, finished_at = ?"
                + " WHERE id = ? AND state = 'running' AND heartbeat_at < ?", message, errors, now, id, silentSince);
    }
}
