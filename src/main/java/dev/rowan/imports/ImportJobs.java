package dev.rowan.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rowan.Problem;
import dev.rowan.catalog.Catalog;
import dev.rowan.catalog.Column;
import dev.rowan.internal.ImportStore;
import dev.rowan.internal.InternalDatabase;
import dev.rowan.internal.InternalDatabaseException;
import dev.rowan.postgres.SqlProblems;
import dev.rowan.userdb.UserDatabases;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CSV/TSV imports: preview (how the file would be read), start (checked at once, then loaded in the
 * background) and status. At most {@link #CONCURRENT} imports load at a time per Rowan instance; the
 * others wait their turn. Everything a status request shows is in the internal database, so any
 * instance sharing it answers for any import. A load never waits for that database: its progress and
 * its end are written by one writer thread, and while the internal database does not answer the load
 * carries on, and its end is written once it answers again. An import whose Rowan stopped is marked
 * failed: by that Rowan when it starts again, or by anyone once it has not been heard of for a minute.
 */
public final class ImportJobs {
    private static final Logger LOG = LoggerFactory.getLogger(ImportJobs.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int CONCURRENT = 2;
    private static final long HEARTBEAT_MS = 10_000;
    private static final long SILENT_MS = 60_000;
    /** The longest pause between two attempts to record an import's end while the internal database does not answer. */
    private static final long RETRY_MAX_MS = 8_000;
    private static final int PREVIEW_ROWS = 20;
    /** Of a file sent for preview, what is stored: more than the sample of types reads. */
    static final long PREVIEW_BYTES = Sniffer.SAMPLE_BYTES + 1024 * 1024;
    private static final int PREVIEW_CHARS = 1000;
    static final String STOPPED = "Rowan stopped during the import; nothing was loaded.";
    static final String NO_INTERNAL_DATABASE = "Rowan's internal database did not answer when the load was to begin; nothing was loaded."
            + " Start the import again.";

    private final ImportStore store;
    private final UserDatabases databases;
    private final Uploads uploads;
    private final String instanceId;
    private final ThreadPoolExecutor loaders;
    /** The one thread that writes imports' heartbeats, progress and ends to the internal database. */
    private final ScheduledThreadPoolExecutor writes;
    private final Set<Long> running = ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> heartbeat;

    public ImportJobs(InternalDatabase db, UserDatabases databases, Path dataDir) {
        this.store = new ImportStore(db);
        this.databases = databases;
        this.uploads = new Uploads(dataDir);
        this.instanceId = uploads.instanceId();
        this.loaders = new ThreadPoolExecutor(CONCURRENT, CONCURRENT, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> daemon(r, "rowan-import"));
        this.loaders.allowCoreThreadTimeOut(true);
        this.writes = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "rowan-import-writes"));
        this.writes.setKeepAliveTime(30, TimeUnit.SECONDS);
        this.writes.allowCoreThreadTimeOut(true);
        this.writes.setRemoveOnCancelPolicy(true);
        this.writes.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        uploads.clearLeftovers();
        long now = System.currentTimeMillis();
        int abandoned = store.failAbandoned(instanceId, now - SILENT_MS, STOPPED, stoppedErrors(), now);
        if (abandoned > 0) LOG.warn("{} import(s) were cut short by a stop of Rowan and are marked failed; nothing of them was loaded.", abandoned);
    }

    /**
     * Stops loading when Rowan stops: running loads are interrupted (their transaction is rolled back
     * with the connection) and waited for briefly, so nothing of them is left half-done; the ends
     * already queued are written, and the next start marks the rest failed with {@link #STOPPED}.
     */
    public void close() {
        loaders.shutdownNow();
        try {
            loaders.awaitTermination(5, TimeUnit.SECONDS);
            writes.shutdown();
            if (!writes.awaitTermination(5, TimeUnit.SECONDS)) writes.shutdownNow();
        } catch (InterruptedException e) {
            writes.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Reads an import's request body (multipart form), storing the data under the data directory. */
    public UploadForm receive(InputStream body, String contentType, long contentLength) {
        return UploadForm.read(body, contentType, contentLength, uploads, Long.MAX_VALUE);
    }

    /** Reads a preview's request body (multipart form, or JSON with pasted text), storing only as much of the data as a preview reads. */
    public UploadForm receivePreview(InputStream body, String contentType, long contentLength) {
        return UploadForm.read(body, contentType, contentLength, uploads, PREVIEW_BYTES);
    }

    /** How the form's data would be read: settings, columns with guessed types and samples, the first rows, warnings. The data is not kept. */
    public Map<String, Object> preview(long databaseId, UploadForm form) {
        try {
            databases.require(databaseId);
            UploadedFile file = requireFile(form);
            CsvSettings.Choice choice = CsvSettings.Choice.of(form.field("delimiter"), form.field("quote"), form.field("header"), form.field("encoding"));
            Sniffer.Detection d = Sniffer.detect(file, choice);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("settings", d.settings().toJson());
            List<Map<String, Object>> columns = new ArrayList<>();
            for (int i = 0; i < d.columnCount(); i++) {
                Map<String, Object> col = new LinkedHashMap<>();
                col.put("name", d.names().get(i).name());
                col.put("header", d.header() == null ? null : i < d.header().size() ? d.header().get(i) : null);
                col.put("type", d.inference().type(i).id());
                col.put("possibleTypes", d.inference().possibleTypes(i).stream().map(t -> t.id()).toList());
                col.put("samples", d.inference().samples(i));
                columns.add(col);
            }
            out.put("columns", columns);
            List<List<String>> rows = new ArrayList<>();
            for (Sniffer.Row r : d.rows().subList(0, Math.min(PREVIEW_ROWS, d.rows().size()))) {
                List<String> values = new ArrayList<>();
                for (String v : r.fields()) values.add(v.length() > PREVIEW_CHARS ? v.substring(0, PREVIEW_CHARS) + "…" : v);
                rows.add(values);
            }
            out.put("rows", rows);
            out.put("rowsSampled", d.rows().size());
            out.put("wholeFileSampled", d.wholeFileSampled());
            out.put("bytes", file.truncated() ? file.receivedBytes() : file.size());
            out.put("warnings", d.warnings());
            return out;
        } finally {
            form.discard();
        }
    }

    /**
     * Checks the import form against the file and the database, then queues the load and returns
     * the import's id. Everything that can be known before loading is answered here, as a problem.
     */
    public long start(long databaseId, UploadForm form) {
        try {
            databases.require(databaseId);
            UploadedFile file = requireFile(form);
            ImportRequest request = ImportRequest.of(form);
            List<String> tableColumns = request.mode() == ImportRequest.Mode.EXISTING
                    ? databases.withConnection(databaseId, c -> Catalog.table(c, request.tableOid()).columns().stream().map(Column::name).toList())
                    : null;
            Sniffer.Detection detection = Sniffer.detect(file, request.settings(), tableColumns);
            ImportPlan plan = databases.withConnection(databaseId, c -> ImportPlan.of(c, detection, request));
            long id = store.create(new ImportStore.NewImport(databaseId, instanceId, plan.mode.id(), plan.onError.id(), plan.schema, plan.table,
                    plan.tableOid, file.name(), json(plan.settings.toJson()), json(plan.columnsJson()), file.size()), System.currentTimeMillis());
            track(id);
            loaders.execute(() -> run(databaseId, id, plan, file));
            return id;
        } catch (RuntimeException e) {
            form.discard();
            throw e;
        }
    }

    private void run(long databaseId, long id, ImportPlan plan, UploadedFile file) {
        Loader.Outcome outcome;
        long started = System.nanoTime();
        long startedAt = System.currentTimeMillis();
        ProgressWrites progress = new ProgressWrites(id);
        progress.report("loading", 0, 0, 0, 0);
        try {
            Loader loader = new Loader(plan, file, progress);
            try (Connection c = databases.connection(databaseId)) {
                outcome = loader.run(c);
            }
        } catch (InternalDatabaseException e) {
            // Finding the database's connection details needs the internal database; the load never began.
            LOG.warn("Import {} could not begin: Rowan's internal database is unavailable ({}).", id, e.getMessage());
            outcome = failure(NO_INTERNAL_DATABASE);
        } catch (Problem p) {
            outcome = failure(p.getMessage() + " Nothing was loaded.");
        } catch (SQLException e) {
            outcome = failure(SqlProblems.of(e).getMessage() + " Nothing was loaded.");
        } catch (RuntimeException | Error e) {
            // An Error too (the loader has rolled back by then): left to end the thread, it would leave the import
            // tracked, its heartbeat saying "running" for as long as this Rowan runs, and its upload on disk.
            LOG.error("Import {} failed unexpectedly", id, e);
            outcome = failure("The import failed unexpectedly (see Rowan's log, import " + id + "); nothing was loaded.");
        }
        progress.discard();
        file.delete();
        LOG.info("Import {} {} in {} ms ({} ms of them for the key and statistics): {}", id, outcome.ok() ? "done" : "failed",
                (System.nanoTime() - started) / 1_000_000, outcome.finishMillis(), outcome.message());
        record(id, outcome, json(errorsJson(outcome.errors())), startedAt, System.currentTimeMillis(), 0);
    }

    /**
     * Writes how an import ended, on the writer thread. While the internal database does not answer,
     * it is tried again after growing pauses, the import still counted as running (its heartbeat goes
     * on), so that it is recorded as it ended and not as abandoned; the loader's turn is over already.
     * {@code startedAt} is recorded too, in case no progress write (which records it) got through.
     */
    private void record(long id, Loader.Outcome outcome, String errors, long startedAt, long endedAt, int attempt) {
        Runnable write = () -> {
            try {
                store.finish(id, outcome.ok() ? "done" : "failed", outcome.bytesDone(), outcome.rowsDone(), outcome.rowsSkipped(),
                        outcome.errorCount(), errors, outcome.message(), outcome.tableOid(), startedAt, endedAt);
                if (attempt > 0) LOG.info("Import {}: its end is recorded now that Rowan's internal database answers again.", id);
                untrack(id);
            } catch (InternalDatabaseException e) {
                if (attempt == 0) {
                    LOG.warn("Import {} ended ({}) but Rowan's internal database is unavailable to record it ({}); trying again until it answers.",
                            id, outcome.message(), e.getMessage());
                }
                record(id, outcome, errors, startedAt, endedAt, attempt + 1);
            } catch (RuntimeException | Error e) {
                // Caught here, as the scheduled task would keep an Error to itself unlogged, and the import tracked for ever.
                LOG.error("Import {} ended ({}) but its end could not be recorded", id, outcome.message(), e);
                untrack(id);
            }
        };
        try {
            writes.schedule(write, attempt == 0 ? 0 : Math.min(RETRY_MAX_MS, 250L << Math.min(attempt, 5)), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            LOG.warn("Import {} ended ({}) as Rowan stopped, before that could be recorded; it will be shown as failed.", id, outcome.message());
            untrack(id);
        }
    }

    /**
     * An import's progress, written on the writer thread so that the load never waits for the internal
     * database. Only the latest figures wait to be written; when a write fails the load carries on, and
     * the next figures are written once the internal database answers again.
     */
    private final class ProgressWrites implements Loader.Progress {
        private final long id;
        private final AtomicReference<Runnable> latest = new AtomicReference<>();
        /** Whether the last write failed; read and written on the writer thread only. */
        private boolean failing;

        ProgressWrites(long id) {
            this.id = id;
        }

        @Override
        public void report(String phase, long bytesDone, long rowsDone, long rowsSkipped, long errorCount) {
            long now = System.currentTimeMillis();
            if (latest.getAndSet(() -> store.progress(id, phase, bytesDone, rowsDone, rowsSkipped, errorCount, now)) != null) {
                return; // a write is queued already, and it takes these figures
            }
            try {
                writes.execute(this::write);
            } catch (RejectedExecutionException stopping) {
                // Rowan is stopping: the load is being interrupted, and its progress no longer matters.
            }
        }

        /** The load is over: figures not yet written never will be, so that a long wait for the database goes to recording the end. */
        void discard() {
            latest.set(null);
        }

        private void write() {
            Runnable next = latest.getAndSet(null);
            if (next == null) return; // discarded
            try {
                next.run();
                if (failing) LOG.info("Import {}: its progress is written again.", id);
                failing = false;
            } catch (RuntimeException e) {
                if (!failing) {
                    LOG.warn("Import {}: its progress cannot be written ({}); the load carries on, and its progress is written again"
                            + " once Rowan's internal database answers.", id, e.getMessage());
                }
                failing = true;
            }
        }
    }

    private static Loader.Outcome failure(String message) {
        return new Loader.Outcome(false, 0, 0, 0, 1, List.of(new Loader.RowError(0, null, message)), message, null, 0);
    }

    /**
     * One import, as GET /imports/{id} shows it. An import nobody has run for a minute is reported (and
     * recorded) as failed; not by the instance running it, whose heartbeat is only silent because the
     * internal database was away, and which records the import's real end once it answers again.
     */
    public Map<String, Object> status(long databaseId, long id) {
        ImportStore.StoredImport s = find(databaseId, id);
        long now = System.currentTimeMillis();
        if (s.state().equals("running") && s.heartbeatAt() < now - SILENT_MS && !running.contains(id)
                && store.failIfSilent(id, now - SILENT_MS, STOPPED, stoppedErrors(), now) > 0) {
            s = find(databaseId, id);
        }
        return view(s);
    }

    /** The latest imports into a database, newest first. */
    public List<Map<String, Object>> list(long databaseId) {
        databases.require(databaseId);
        return store.recent(databaseId, 50).stream().map(this::view).toList();
    }

    private ImportStore.StoredImport find(long databaseId, long id) {
        databases.require(databaseId);
        return store.find(databaseId, id).orElseThrow(() -> new Problem(404, "import_not_found", "No such import",
                "There is no import with id " + id + " into this database.", null));
    }

    private Map<String, Object> view(ImportStore.StoredImport s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("state", s.state());
        m.put("phase", s.phase());
        m.put("rowsDone", s.rowsDone());
        m.put("rowsSkipped", s.rowsSkipped());
        m.put("bytesDone", s.bytesDone());
        m.put("bytesTotal", s.bytesTotal());
        List<Object> errors = s.errors() == null ? List.of() : parse(s.errors(), new TypeReference<List<Object>>() { });
        m.put("errors", errors);
        m.put("errorCount", Math.max(s.errorCount(), errors.size()));
        m.put("moreErrors", Math.max(0, s.errorCount() - errors.size()));
        m.put("tableOid", s.tableOid());
        m.put("schema", s.schema());
        m.put("table", s.table());
        m.put("mode", s.mode());
        m.put("onError", s.onError());
        m.put("fileName", s.fileName());
        m.put("settings", parse(s.settings(), new TypeReference<Map<String, Object>>() { }));
        m.put("columns", parse(s.columns(), new TypeReference<List<Object>>() { }));
        m.put("message", s.message());
        m.put("createdAt", Instant.ofEpochMilli(s.createdAt()).toString());
        m.put("startedAt", s.startedAt() == null ? null : Instant.ofEpochMilli(s.startedAt()).toString());
        m.put("finishedAt", s.finishedAt() == null ? null : Instant.ofEpochMilli(s.finishedAt()).toString());
        return m;
    }

    private static UploadedFile requireFile(UploadForm form) {
        if (form.file() == null) {
            throw new Problem(400, "file_missing", "No file was sent", "The form has neither a \"file\" nor a \"text\" field.",
                    "Send the CSV or TSV file in a form field named \"file\" (or pasted data in \"text\").");
        }
        return form.file();
    }

    private synchronized void track(long id) {
        running.add(id);
        if (heartbeat == null) {
            heartbeat = writes.scheduleAtFixedRate(this::beat, HEARTBEAT_MS, HEARTBEAT_MS, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void untrack(long id) {
        running.remove(id);
        if (running.isEmpty() && heartbeat != null) {
            heartbeat.cancel(false);
            heartbeat = null;
        }
    }

    private void beat() {
        try {
            store.heartbeat(List.copyOf(running), System.currentTimeMillis());
        } catch (RuntimeException e) {
            LOG.warn("Could not record that imports are still running: {}", e.getMessage());
        }
    }

    private static List<Map<String, Object>> errorsJson(List<Loader.RowError> errors) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Loader.RowError e : errors) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("line", e.line() > 0 ? e.line() : null);
            if (e.column() != null) m.put("column", e.column());
            m.put("message", e.message());
            out.add(m);
        }
        return out;
    }

    private static String stoppedErrors() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("line", null);
        error.put("message", STOPPED);
        return json(List.of(error));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T parse(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable import record", e);
        }
    }
}
