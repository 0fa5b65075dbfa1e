package dev.rowan.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rowan.secret.CredentialCipher;
import dev.rowan.secret.SecretKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * The soak benchmark (bench/soak.sh runs it): Rowan from its jar under mixed load for bench.seconds (default
 * 600) — 16 clients, each on its own connection, reading pages (sorted, filtered), inserting records, exporting
 * CSV and importing small files, on two databases at once: one on Rowan's built-in PostgreSQL server and one on
 * a throwaway server from the Debian packages. At a third of the time every process of the built-in server is
 * killed (SIGKILL); at two thirds the Debian server is restarted (pg_ctl restart -m fast). Prints requests
 * served, errors by kind, how long each database took to serve again, acknowledged writes that are missing
 * afterwards (read over JDBC), 500 answers and Rowan's memory after warm-up and at the end.
 *
 * Not a test (nothing runs it in mvn verify), but it exits with status 1 when an acknowledged write is lost,
 * any request got a 500 or an error answer that is not a problem document, a database never served again or
 * Rowan died: those do not depend on the machine.
 */
public final class SoakBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** Longest wait for one answer, body included; longer is counted as a hang. */
    private static final long REQUEST_TIMEOUT_S = 30;
    /** Longest an export (a few ten thousand rows) may take to download. */
    private static final long EXPORT_TIMEOUT_S = 120;
    /** Longest an import of IMPORT_ROWS rows may stay running (queued behind others included). */
    private static final long IMPORT_TIMEOUT_S = 120;
    private static final int IMPORT_ROWS = 200;
    private static final int CLIENTS = Integer.getInteger("bench.clients", 16);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 600);
    /** Memory is compared from here on: the JVM and its pools have grown to their working size by then. */
    private static final int WARMUP_SECONDS = Math.min(30, SECONDS / 4);

    private final RowanProcess rowan;
    private final List<Db> dbs;
    /** When the load began: the times printed count from here. */
    private volatile long start = System.nanoTime();
    /** Successful requests by kind of work. */
    private final Map<String, LongAdder> served = new ConcurrentSkipListMap<>();
    /** Failed requests by kind of work, database, status and problem code. */
    private final Map<String, LongAdder> errors = new ConcurrentSkipListMap<>();
    /** How downloads and imports ended (their failures are expected around the faults). */
    private final Map<String, LongAdder> outcomes = new ConcurrentSkipListMap<>();
    /** Every 500 answer counted; the first 20 kept with their bodies. */
    private final LongAdder answers500 = new LongAdder();
    private final List<String> serverErrors = new CopyOnWriteArrayList<>();
    /** Error answers that are not a problem document: counted, the first few kept as they came. */
    private final LongAdder oddCount = new LongAdder();
    private final List<String> oddAnswers = new CopyOnWriteArrayList<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();

    /** A connected database under load, and every value inserted into it that Rowan answered 201 for. */
    private record Db(String label, long id, long table, Set<String> acknowledged) {
        String tablePath() {
            return "/api/v1/databases/" + id + "/tables/" + table;
        }
    }

    /**
     * A deliberate fault: when it began, which database it took away, and when that database served again:
     * the end of the first successful request on it that started once the fault was complete (the processes
     * killed; pg_ctl restart returned).
     */
    private static final class Fault {
        final String what;
        final Db db;
        final long at = System.nanoTime();
        volatile long complete = Long.MAX_VALUE;
        final AtomicLong servedAgain = new AtomicLong(Long.MAX_VALUE);
        /** The kind of work that served first after the fault. */
        volatile String servedBy = "";
        final AtomicLong firstFailure = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong lastFailure = new AtomicLong(0);
        /** The longest a failed request waited for its answer: how long an outage holds people up. */
        final AtomicLong slowestFailure = new AtomicLong(0);
        final Map<String, LongAdder> failures = new ConcurrentSkipListMap<>();
        String detail = "";

        Fault(String what, Db db) {
            this.what = what;
            this.db = db;
        }
    }

    /** What one request (sent at started, System.nanoTime) came to: a status, or what took its place (a timeout, a cut connection). */
    private record Answer(int status, String contentType, String body, String failure, long started) {
        boolean ok() {
            return failure == null && status >= 200 && status < 300;
        }

        String kind() {
            if (failure != null) return failure;
            String code = "";
            try {
                code = JSON.readTree(body).path("code").asText("");
            } catch (IOException | RuntimeException notJson) {
                // an answer that is not a problem document (e.g. the HTTP server's own HTML page)
            }
            return status + " " + (code.isEmpty() ? "(no problem code)" : code);
        }
    }

    private SoakBench(RowanProcess rowan, List<Db> dbs) {
        this.rowan = rowan;
        this.dbs = dbs;
    }

    public static void main(String[] args) throws Exception {
        String jar = args.length > 0 ? args[0] : "target/rowan.jar";
        Path pgBin = Path.of(System.getProperty("bench.pgBin", "/usr/lib/postgresql/15/bin"));
        Path work = Files.createTempDirectory("rowan-soak");
        // the Debian server runs as postgres when this runs as root, and must reach its data directory in here
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path rowanData = work.resolve("rowan");
        int exit = 1;
        try (DebianPostgres debian = DebianPostgres.start(pgBin, work.resolve("pg"), "soak")) {
            // a key chosen here rather than generated by Rowan: the check at the end reads the built-in server's password with it
            String key = SecretKeys.generate();
            try (RowanProcess rowan = RowanProcess.start(jar, rowanData, Map.of("ROWAN_SECRET_KEY", key), HTTP)) {
                exit = soak(rowan, rowanData, key, debian);
            } finally {
                // Rowan stops its built-in server when it stops; anything left of it (were Rowan killed) is ended here
                builtinProcesses(rowanData).forEach(ProcessHandle::destroyForcibly);
            }
        } finally {
            // Rowan's log outlives the run's directory, to look into what the figures show
            Path log = work.resolve("rowan.log");
            if (Files.exists(log)) {
                Path kept = Path.of("target", "soak-rowan.log");
                Files.createDirectories(kept.getParent());
                Files.copy(log, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                System.out.println("Rowan's log: " + kept.toAbsolutePath());
            }
            deleteTree(work);
        }
        System.exit(exit);
    }

    private static int soak(RowanProcess rowan, Path rowanData, String key, DebianPostgres debian) throws Exception {
        Db builtin = table(rowan, "built-in", rowan.request("/api/v1/databases"), "{\"name\":\"Soak built-in\",\"builtin\":true,\"sample\":false}");
        Db external = table(rowan, "Debian", rowan.request("/api/v1/databases"), "{\"name\":\"Soak Debian\",\"url\":\"" + debian.url("soak") + "\"}");
        SoakBench bench = new SoakBench(rowan, List.of(builtin, external));
        String versions;
        try (Connection c = builtinConnection(rowanData, key); Connection d = debian.connect("soak")) {
            versions = "built-in PostgreSQL " + version(c) + ", Debian PostgreSQL " + version(d);
        }
        System.out.printf(Locale.ROOT, "Soak: %d s, %d clients, databases on the %s; Rowan pid %d%n", SECONDS, CLIENTS, versions,
                rowan.process.pid());
        return bench.run(rowanData, key, debian);
    }

    /** Connects a database through the API and creates the table the clients work on. */
    private static Db table(RowanProcess rowan, String label, HttpRequest.Builder connect, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(connect.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) throw new IllegalStateException("connecting the " + label + " database: " + r.statusCode() + " " + r.body());
        long db = JSON.readTree(r.body()).get("id").asLong();
        r = HTTP.send(rowan.request("/api/v1/databases/" + db + "/tables").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"schema\":\"public\",\"name\":\"soak\",\"columns\":["
                        + "{\"name\":\"token\",\"type\":\"text\",\"unique\":true},{\"name\":\"n\",\"type\":\"integer\"},"
                        + "{\"name\":\"note\",\"type\":\"text\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) throw new IllegalStateException("creating the " + label + " table: " + r.statusCode() + " " + r.body());
        return new Db(label, db, JSON.readTree(r.body()).get("oid").asLong(), ConcurrentHashMap.newKeySet());
    }

    private int run(Path rowanData, String key, DebianPostgres debian) throws Exception {
        start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(SECONDS);
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            int client = i;
            Thread t = new Thread(() -> client(client, end), "soak-client-" + i);
            t.setDaemon(true);
            clients.add(t);
            t.start();
        }
        long[] rss = new long[3]; // after warm-up, at the end, peak
        Thread sampler = new Thread(() -> sample(rss, start + TimeUnit.SECONDS.toNanos(WARMUP_SECONDS)), "soak-rss");
        sampler.setDaemon(true);
        sampler.start();

        sleepUntil(start + (end - start) / 3);
        Fault kill = new Fault("SIGKILL of the built-in server", dbs.get(0));
        faults.add(kill);
        List<Long> killed = killBuiltin(rowanData);
        kill.complete = System.nanoTime();
        kill.detail = killed.size() + " processes";
        log("killed " + killed.size() + " processes of the built-in server (postmaster first; pids " + killed + ")");

        sleepUntil(start + 2 * (end - start) / 3);
        Fault restart = new Fault("pg_ctl restart -m fast of the Debian server", dbs.get(1));
        faults.add(restart);
        log("restarting the Debian server");
        debian.restart();
        restart.complete = System.nanoTime();
        restart.detail = String.format(Locale.ROOT, "pg_ctl took %.1f s", (restart.complete - restart.at) / 1e9);
        log("Debian server restarted (" + restart.detail + ")");

        for (Thread t : clients) t.join(TimeUnit.SECONDS.toMillis(IMPORT_TIMEOUT_S + EXPORT_TIMEOUT_S) + Math.max(0, (end - System.nanoTime()) / 1_000_000));
        long stillRunning = clients.stream().filter(Thread::isAlive).count();
        double elapsed = (System.nanoTime() - start) / 1e9;
        sampler.interrupt();
        sampler.join();
        rss[1] = rowan.rssKb();
        return report(elapsed, stillRunning, rss, rowanData, key, debian);
    }

    private void client(int client, long end) {
        SplittableRandom random = new SplittableRandom(client);
        // bounded by count as well as time: even a Rowan that answers at once ends the loop
        for (long op = 0; op < SECONDS * 1_000L && System.nanoTime() < end; op++) {
            Db db = dbs.get(random.nextInt(dbs.size()));
            int dice = random.nextInt(100);
            boolean ok;
            try {
                ok = dice < 45 ? read(db, random) : dice < 80 ? write(db, client, op, random) : dice < 95 ? export(db, random)
                        : importOnce(db, client, op);
            } catch (InterruptedException e) {
                return;
            }
            if (!ok) {
                try {
                    // not a tight loop against a database that is down
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private boolean read(Db db, SplittableRandom random) throws InterruptedException {
        String order = List.of("n:desc", "token:asc", "id:desc", "note:asc").get(random.nextInt(4));
        String filter = switch (random.nextInt(4)) {
            case 0 -> "{\"column\":\"n\",\"op\":\"gt\",\"value\":" + random.nextInt(1000) + "}";
            case 1 -> "{\"column\":\"note\",\"op\":\"contains_ci\",\"value\":\"note " + random.nextInt(100) + "\"}";
            case 2 -> "{\"and\":[{\"column\":\"token\",\"op\":\"starts_with\",\"value\":\"c" + random.nextInt(CLIENTS)
                    + "-\"},{\"column\":\"n\",\"op\":\"lt\",\"value\":500}]}";
            default -> null;
        };
        String query = "limit=50&order=" + enc(order) + (filter == null ? "" : "&filter=" + enc(filter));
        return record("read", db, send(rowan.request(db.tablePath() + "/records?" + query).GET().build()));
    }

    private boolean write(Db db, int client, long op, SplittableRandom random) throws InterruptedException {
        String token = "c" + client + "-" + op;
        int n = random.nextInt(1000);
        Answer a = send(rowan.request(db.tablePath() + "/records").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\",\"n\":" + n + ",\"note\":\"soak note " + n + "\"}")).build());
        if (a.status() == 201) {
            if (!a.body().contains("\"" + token + "\"")) {
                outcomes.computeIfAbsent("write answered 201 without the stored value", k -> new LongAdder()).increment();
            }
            db.acknowledged().add(token);
        }
        return record("write", db, a);
    }

    /** A CSV download, read to its end and thrown away; only how it ended is kept. */
    private boolean export(Db db, SplittableRandom random) throws InterruptedException {
        String query = random.nextBoolean() ? "order=" + enc("id:desc") : "filter=" + enc("{\"column\":\"n\",\"op\":\"lt\",\"value\":300}");
        HttpRequest request = rowan.request(db.tablePath() + "/export.csv?" + query).GET().build();
        long started = System.nanoTime();
        Tail tail = new Tail();
        Answer a;
        var future = HTTP.sendAsync(request, info -> info.statusCode() == 200
                ? HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArrayConsumer(tail), done -> "")
                : HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = future.get(EXPORT_TIMEOUT_S, TimeUnit.SECONDS);
            a = new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), null, started);
            if (r.statusCode() == 200) {
                String end = tail.text();
                String lastLine = end.substring(end.lastIndexOf('\n', Math.max(0, end.length() - 3)) + 1);
                String outcome = lastLine.contains("urn:rowan:problem") ? "export: 200 with an error written into the file (a complete-looking download)"
                        : end.endsWith("\r\n") ? "export: complete" : "export: 200 but the file does not end with a line break";
                outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
                if (!outcome.equals("export: complete")) a = new Answer(200, "", "", outcome, started);
            }
        } catch (ExecutionException e) {
            // a download cut off: what a client must see when an export fails partway
            outcomes.computeIfAbsent("export: failed download (" + e.getCause().getClass().getSimpleName() + ")", k -> new LongAdder()).increment();
            a = new Answer(0, "", "", "failed download (" + e.getCause().getClass().getSimpleName() + ")", started);
        } catch (TimeoutException e) {
            future.cancel(true);
            outcomes.computeIfAbsent("export: not finished in " + EXPORT_TIMEOUT_S + " s", k -> new LongAdder()).increment();
            a = new Answer(0, "", "", "hang: no complete answer in " + EXPORT_TIMEOUT_S + " s", started);
        }
        return record("export", db, a);
    }

    /** The last bytes of a download, as they arrive. */
    private static final class Tail implements java.util.function.Consumer<Optional<byte[]>> {
        private byte[] last = new byte[0];

        @Override
        public synchronized void accept(Optional<byte[]> chunk) {
            chunk.ifPresent(bytes -> {
                byte[] joined = new byte[Math.min(4096, last.length + bytes.length)];
                int fromBytes = Math.min(bytes.length, joined.length);
                int fromLast = joined.length - fromBytes;
                System.arraycopy(last, last.length - fromLast, joined, 0, fromLast);
                System.arraycopy(bytes, bytes.length - fromBytes, joined, fromLast, fromBytes);
                last = joined;
            });
        }

        synchronized String text() {
            return new String(last, StandardCharsets.UTF_8);
        }
    }

    /** A small CSV imported into a new table, followed until it ends; a loaded table is dropped again. */
    private boolean importOnce(Db db, int client, long op) throws InterruptedException {
        StringBuilder csv = new StringBuilder("token,n,note\n");
        for (int i = 0; i < IMPORT_ROWS; i++) csv.append("i").append(client).append('-').append(op).append('-').append(i).append(',').append(i)
                .append(",imported row ").append(i).append('\n');
        String boundary = "soak" + client + "x" + op;
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"schema\"\r\n\r\npublic\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"table\"\r\n\r\nimp_" + client + "_" + op + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"soak.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                + csv + "\r\n--" + boundary + "--\r\n";
        Answer posted = send(rowan.request("/api/v1/databases/" + db.id() + "/imports").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (!record("import", db, posted)) return false;
        String id = json(posted.body()).path("id").asText();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(IMPORT_TIMEOUT_S);
        JsonNode job = null;
        while (System.nanoTime() < deadline) {
            Thread.sleep(250);
            Answer polled = send(rowan.request("/api/v1/databases/" + db.id() + "/imports/" + id).GET().build());
            if (!record("import-poll", db, polled)) continue;
            job = json(polled.body());
            if (!job.path("state").asText().equals("running")) break;
        }
        String state = job == null ? "never answered" : job.path("state").asText();
        if (state.equals("done")) {
            long rows = job.path("rowsDone").asLong();
            outcomes.computeIfAbsent(rows == IMPORT_ROWS ? "import: done" : "import: done with " + rows + " rows instead of " + IMPORT_ROWS,
                    k -> new LongAdder()).increment();
            return record("drop", db, send(rowan.request("/api/v1/databases/" + db.id() + "/tables/" + job.path("tableOid").asLong()).DELETE().build()));
        }
        if (state.equals("failed")) {
            outcomes.computeIfAbsent("import on " + db.label() + ": failed: " + job.path("message").asText(), k -> new LongAdder()).increment();
            return false;
        }
        outcomes.computeIfAbsent("import on " + db.label() + ": not ended after " + IMPORT_TIMEOUT_S + " s (" + state + ", phase "
                + (job == null ? "?" : job.path("phase").asText()) + ")", k -> new LongAdder()).increment();
        return false;
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Answer send(HttpRequest request) throws InterruptedException {
        long started = System.nanoTime();
        var future = HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        try {
            HttpResponse<String> r = future.get(REQUEST_TIMEOUT_S, TimeUnit.SECONDS);
            return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), null, started);
        } catch (ExecutionException e) {
            return new Answer(0, "", "", "no answer (" + e.getCause().getClass().getSimpleName() + ")", started);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Answer(0, "", "", "hang: no complete answer in " + REQUEST_TIMEOUT_S + " s", started);
        }
    }

    /**
     * Counts one request's outcome and holds it against the faults on its database: a success that started
     * after a fault says when the database served again; a failure before that belongs to the outage.
     */
    private boolean record(String work, Db db, Answer a) {
        long now = System.nanoTime();
        long started = a.started();
        if (a.ok()) {
            served.computeIfAbsent(work, k -> new LongAdder()).increment();
        } else {
            errors.computeIfAbsent(work + " on " + db.label() + ": " + a.kind(), k -> new LongAdder()).increment();
            if (a.status() == 500) answers500.increment();
            boolean odd = a.failure() == null && !a.contentType().startsWith("application/problem+json");
            if (odd) oddCount.increment();
            if (odd && oddAnswers.size() < 5) {
                String body = a.body().length() <= 400 ? a.body() : a.body().substring(0, 150) + " … " + a.body().substring(a.body().length() - 250);
                oddAnswers.add(String.format(Locale.ROOT, "%.1f s %s on %s: %d, Content-Type %s, %d characters: %s", (now - start) / 1e9, work,
                        db.label(), a.status(), a.contentType(), a.body().length(), body.replace("\r\n", "\\r\\n")));
            }
            if (a.status() == 500 && serverErrors.size() < 20) {
                serverErrors.add(String.format(Locale.ROOT, "%.1f s %s on %s: %d %s", (now - start) / 1e9, work, db.label(), a.status(), a.body()));
            }
        }
        // an import's progress is read from Rowan's internal database, not from db: it says nothing of db's outage
        for (Fault f : work.equals("import-poll") ? List.<Fault>of() : faults) {
            if (f.db != db || now < f.at) continue;
            if (a.ok() && started >= f.complete) {
                if (f.servedAgain.accumulateAndGet(now, Math::min) == now) f.servedBy = work;
            } else if (!a.ok() && started < f.servedAgain.get()) {
                f.firstFailure.accumulateAndGet(now, Math::min);
                f.lastFailure.accumulateAndGet(now, Math::max);
                f.slowestFailure.accumulateAndGet(now - started, Math::max);
                f.failures.computeIfAbsent(work + ": " + a.kind(), k -> new LongAdder()).increment();
            }
        }
        return a.ok();
    }

    private void sample(long[] rss, long warm) {
        while (!Thread.currentThread().isInterrupted()) {
            long kb = rowan.rssKb();
            rss[2] = Math.max(rss[2], kb);
            if (rss[0] == 0 && System.nanoTime() >= warm) rss[0] = kb;
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private int report(double elapsed, long stillRunning, long[] rss, Path rowanData, String key, DebianPostgres debian) throws Exception {
        boolean failed = false;
        System.out.println();
        System.out.printf(Locale.ROOT, "== Soak results (%.0f s, %d clients)%n", elapsed, CLIENTS);
        System.out.println("Requests served (2xx), per kind and per second:");
        long total = 0;
        for (var e : served.entrySet()) {
            total += e.getValue().sum();
            System.out.printf(Locale.ROOT, "  %-12s %8d  %7.1f/s%n", e.getKey(), e.getValue().sum(), e.getValue().sum() / elapsed);
        }
        System.out.printf(Locale.ROOT, "  %-12s %8d  %7.1f/s%n", "all", total, total / elapsed);
        System.out.println("Errors by kind (work on database: status and problem code, or what took the answer's place):");
        if (errors.isEmpty()) System.out.println("  none");
        errors.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %s: %d%n", k, v.sum()));
        System.out.println("How exports and imports ended:");
        outcomes.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %s: %d%n", k, v.sum()));
        long hangs = errors.entrySet().stream().filter(e -> e.getKey().contains("hang:")).mapToLong(e -> e.getValue().sum()).sum()
                + outcomes.entrySet().stream().filter(e -> e.getKey().contains("not ended after")).mapToLong(e -> e.getValue().sum()).sum();

        System.out.println("Outages:");
        for (Fault f : faults) {
            double at = (f.at - start) / 1e9;
            long back = f.servedAgain.get();
            String failures = f.failures.isEmpty() ? "no request failed"
                    : String.format(Locale.ROOT, "requests failed from %.1f to %.1f s (the slowest failure answered after %.1f s): %s",
                    (f.firstFailure.get() - start) / 1e9, (f.lastFailure.get() - start) / 1e9, f.slowestFailure.get() / 1e9,
                    f.failures.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().sum()).toList());
            if (back == Long.MAX_VALUE) {
                failed = true;
                System.out.printf(Locale.ROOT, "  %s (%s) at %.1f s: the %s database NEVER SERVED AGAIN; %s%n", f.what, f.detail, at, f.db.label(), failures);
            } else {
                double after = (back - f.at) / 1e9;
                System.out.printf(Locale.ROOT, "  %s (%s) at %.1f s: the %s database served again (a %s) after %.1f s (%.1f s after the %s)%s; %s%n",
                        f.what, f.detail, at, f.db.label(), f.servedBy, after, (back - f.complete) / 1e9, f == faults.get(0) ? "kill" : "restart returned",
                        f == faults.get(0) ? (after <= 30 ? ", within 30 s: met" : ", over 30 s: NOT MET") : "", failures);
            }
        }

        System.out.println("Acknowledged writes (every value answered 201, looked up over JDBC):");
        long lost = 0;
        for (Db db : dbs) {
            try (Connection c = db == dbs.get(0) ? builtinConnection(rowanData, key) : debian.connect("soak")) {
                lost += lost(c, db);
            }
        }
        if (lost > 0) {
            failed = true;
            System.out.println("  !!! " + lost + " ACKNOWLEDGED WRITES LOST !!!");
        }

        if (!oddAnswers.isEmpty()) {
            System.out.println("Error answers that are not a problem document: " + oddCount.sum() + " (the first " + oddAnswers.size() + " below)");
            oddAnswers.forEach(o -> System.out.println("  " + o));
        }
        System.out.println("500 answers: " + answers500.sum() + (answers500.sum() > serverErrors.size() ? " (the first 20 below)" : ""));
        serverErrors.forEach(s -> System.out.println("  " + s));
        failed |= !serverErrors.isEmpty() || oddCount.sum() > 0;

        double ratio = rss[0] == 0 ? Double.NaN : (double) rss[1] / rss[0];
        boolean flat = ratio <= 1.25;
        System.out.printf(Locale.ROOT, "Rowan's RSS: %d MB after warm-up (%d s), %d MB at the end, ratio %.2f (%s); peak %d MB%n", rss[0] / 1024,
                WARMUP_SECONDS, rss[1] / 1024, ratio, flat ? "flat: <= 1.25" : "GROWING: over 1.25", rss[2] / 1024);

        boolean alive = rowan.process.isAlive();
        Answer ready = send(rowan.request("/health/ready").GET().build());
        System.out.println("At the end: Rowan " + (alive ? "running" : "EXITED") + ", /health/ready " + (ready.failure() == null ? ready.status() : ready.failure())
                + (stillRunning > 0 ? ", " + stillRunning + " CLIENTS STILL WAITING" : ""));
        failed |= !alive || stillRunning > 0;

        List<String> problems = new ArrayList<>();
        if (lost > 0) problems.add(lost + " acknowledged writes lost");
        if (!serverErrors.isEmpty()) problems.add(answers500.sum() + " answers 500");
        if (oddCount.sum() > 0) problems.add(oddCount.sum() + " error answers without a problem document");
        if (hangs > 0) problems.add(hangs + " hangs");
        if (faults.stream().anyMatch(f -> f.servedAgain.get() == Long.MAX_VALUE)) problems.add("a database never served again");
        if (!flat) problems.add("memory grew");
        if (!alive) problems.add("Rowan exited");
        System.out.println("Verdict: " + (problems.isEmpty()
                ? String.format(Locale.ROOT, "PASS — %d requests served, no acknowledged write lost, no 500, no hang, both databases back, memory flat", total)
                : "FAIL — " + String.join(", ", problems)));
        return failed ? 1 : 0;
    }

    /** Looks up every acknowledged value of db in its table; prints and returns how many are missing. */
    private static long lost(Connection c, Db db) throws SQLException {
        List<String> wanted = new ArrayList<>(db.acknowledged());
        Set<String> found = new HashSet<>();
        long rows;
        try (PreparedStatement ps = c.prepareStatement("SELECT token FROM public.soak WHERE token = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", wanted.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) found.add(rs.getString(1));
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM public.soak")) {
            rs.next();
            rows = rs.getLong(1);
        }
        List<String> missing = wanted.stream().filter(t -> !found.contains(t)).sorted(Comparator.naturalOrder()).toList();
        System.out.printf(Locale.ROOT, "  %s: %d acknowledged, %d found, %d lost%s; %d rows in the table%s%n", db.label(), wanted.size(),
                found.size(), missing.size(), missing.isEmpty() ? "" : " " + missing.subList(0, Math.min(10, missing.size())), rows,
                rows > found.size() ? " (" + (rows - found.size()) + " inserts stored whose answer was not a 201)" : "");
        return missing.size();
    }

    /**
     * A connection to the built-in server as Rowan makes it: its port from the server's postmaster.pid, the
     * superuser's password as Rowan stores it (encrypted in the internal database, under the key this run
     * chose), and the database Rowan created for the soak. The password stays in memory.
     */
    private static Connection builtinConnection(Path rowanData, String key) throws Exception {
        String port = Files.readAllLines(rowanData.resolve("postgres/postmaster.pid")).get(3).strip();
        String sealed;
        String database;
        try (Connection internal = DriverManager.getConnection("jdbc:sqlite:" + rowanData.resolve("rowan.db"));
             Statement s = internal.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT meta_value FROM rowan_meta WHERE meta_key = 'builtin_postgres_password'")) {
                rs.next();
                sealed = rs.getString(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT database_name FROM rowan_database WHERE builtin")) {
                rs.next();
                database = rs.getString(1);
            }
        }
        String password = new CredentialCipher(key).decrypt(sealed, "builtin_postgres_password");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", password);
    }

    private static String version(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1).split(" ")[0];
        }
    }

    /**
     * SIGKILL of every process of the built-in server: its postmaster first (named in postmaster.pid), so that
     * it forks no new backend meanwhile, then the others, found before; then any backend it forked while they
     * were being looked for, until none is left (at most 5 s) — only processes that began before the kill, not a
     * new server Rowan may already be starting. Returns the process ids killed.
     */
    private static List<Long> killBuiltin(Path rowanData) throws IOException, InterruptedException {
        long postmaster = Long.parseLong(Files.readAllLines(rowanData.resolve("postgres/postmaster.pid")).get(0).strip());
        List<ProcessHandle> found = builtinProcesses(rowanData);
        java.time.Instant before = java.time.Instant.now();
        List<Long> killed = new ArrayList<>();
        ProcessHandle.of(postmaster).ifPresent(p -> {
            if (p.destroyForcibly()) killed.add(postmaster);
        });
        for (ProcessHandle p : found) {
            if (p.destroyForcibly() && !killed.contains(p.pid())) killed.add(p.pid());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> left = builtinProcesses(rowanData).stream()
                    .filter(p -> p.info().startInstant().map(t -> t.isBefore(before)).orElse(true)).toList();
            if (left.isEmpty()) break;
            for (ProcessHandle p : left) {
                if (p.destroyForcibly() && !killed.contains(p.pid())) killed.add(p.pid());
            }
            Thread.sleep(20);
        }
        return killed;
    }

    /**
     * Every running process of the built-in server, found as Rowan's own watchdog finds them: the executable
     * ends in /postgres and the current directory is the server's data directory.
     */
    private static List<ProcessHandle> builtinProcesses(Path rowanData) {
        Path data;
        try {
            data = rowanData.resolve("postgres").toRealPath();
        } catch (IOException notThere) {
            return List.of();
        }
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .filter(p -> {
                    try {
                        return Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd")).equals(data);
                    } catch (IOException | RuntimeException gone) {
                        return false;
                    }
                })
                .toList();
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
    }

    private void log(String message) {
        System.out.printf(Locale.ROOT, "  [%.1f s] %s%n", (System.nanoTime() - start) / 1e9, message);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Collections.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
