package dev.rowan.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rowan.e2e.BrowserJourneyTest;
import dev.rowan.imports.Multipart;
import dev.rowan.testing.BrowserScript;
import dev.rowan.testing.FreePort;
import dev.rowan.testing.TestPostgres;
import dev.rowan.testing.TestRowan;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Rowan instances (target/rowan.jar, each its own JVM and data directory) behind HAProxy (round
 * robin, no stickiness), sharing one PostgreSQL internal database and one secret key, with one user
 * database connected by URL: how Rowan scales past one machine (docs/install/helm.md). The balancer
 * names the instance that answered in X-Served-By. Proven, in order: a short browser journey through
 * the balancer, every step served by both; a session started on one is valid on the other and ends on
 * both; a structure change made through one is seen by the other on its very next request; an import
 * started on one is followed to its end on the other; and an instance killed (SIGKILL) mid-import
 * leaves no lock and no table behind, and the other marks the import failed while the balancer keeps
 * answering. Runs after `package` (failsafe), since it needs the jar.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoadBalancerIT {
    private static final Path PROJECT = Path.of(System.getProperty("rowan.projectDir", "."));
    private static final Path JAR = PROJECT.resolve("target/rowan.jar");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "shared-secret-key-of-both-instances-0123456789";
    private static final String USERNAME = "admin";
    private static final String PASSWORD = "correct horse battery";
    private static final String DATABASE = "Shared";
    private static final List<String> BOTH = List.of("a", "b");
    /** ImportJobs marks an import failed once its instance has been silent this long (its heartbeat is every 10 s). */
    private static final long SILENT_SECONDS = 60;

    private Path tmp;
    private String userUrl;
    private Instance a;
    private Instance b;
    private Process haproxy;
    private ProcessOutput haproxyOutput;
    private String balancer;
    private long db;
    /** Stops what this test started if the test JVM is stopped before @AfterAll runs (e.g. Ctrl-C). */
    private final Thread stopOnExit = new Thread(this::stopEverything, "load-balancer-it-stop");

    @BeforeAll
    void startTwoInstancesBehindHaproxy(@TempDir Path dir) throws Exception {
        tmp = dir;
        long started = System.nanoTime();
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        Path binary = Stream.of("/usr/sbin/haproxy", "/usr/bin/haproxy").map(Path::of).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new AssertionError("haproxy is not installed (apt-get install haproxy; .ci/run installs it)"));
        assertTrue(Files.isRegularFile(JAR), JAR + " is missing: the jar is built by `mvn package`");
        String internalUrl = TestPostgres.newDatabase();
        userUrl = TestPostgres.newDatabase();
        int lbPort = FreePort.find();
        balancer = "http://127.0.0.1:" + lbPort;
        a = Instance.start("a", tmp, internalUrl, balancer);
        b = Instance.start("b", tmp, internalUrl, balancer);
        a.awaitReady();
        b.awaitReady();

        Path config = tmp.resolve("haproxy.cfg");
        Files.writeString(config, haproxyConfig(lbPort, a.port, b.port));
        haproxy = new ProcessBuilder(binary.toString(), "-db", "-f", config.toString()).redirectErrorStream(true).start();
        haproxyOutput = new ProcessOutput(haproxy.getInputStream());
        awaitBalancer();
        System.out.println("PostgreSQL, two instances and the balancer ready in " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + " s");
    }

    /**
     * Round robin over both, no stickiness; an instance that stops answering /health/ready is taken
     * out within a second or two, and a request whose connection it refuses goes to the other.
     */
    private static String haproxyConfig(int lbPort, int portA, int portB) {
        return """
                global
                  maxconn 256
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 120s
                  timeout server 120s
                  retries 3
                  option redispatch
                frontend rowan
                  bind 127.0.0.1:%d
                  default_backend rowans
                backend rowans
                  balance roundrobin
                  option forwardfor
                  option httpchk GET /health/ready
                  http-response set-header X-Served-By %%s
                  server a 127.0.0.1:%d check inter 500ms fall 2 rise 2
                  server b 127.0.0.1:%d check inter 500ms fall 2 rise 2
                """.formatted(lbPort, portA, portB);
    }

    /** Until the balancer has both instances in rotation: two requests in a row answered by both (at most 30 s). */
    private void awaitBalancer() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            assertTrue(haproxy.isAlive(), "haproxy stopped:\n" + haproxyOutput);
            try {
                Set<String> served = new HashSet<>();
                for (int i = 0; i < 2; i++) {
                    HttpResponse<String> r = TestRowan.send(HttpRequest.newBuilder(URI.create(balancer + "/health/ready")).GET());
                    if (r.statusCode() == 200) r.headers().firstValue("X-Served-By").ifPresent(served::add);
                }
                if (served.size() == 2) return;
            } catch (IllegalStateException notYet) {
                // haproxy is not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the balancer did not serve both instances within 30 s:\n" + haproxyOutput);
    }

    @AfterAll
    void stop() {
        long stopping = System.nanoTime();
        stopEverything();
        System.out.println("stopped in " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stopping) + " s");
        Runtime.getRuntime().removeShutdownHook(stopOnExit);
    }

    private void stopEverything() {
        if (haproxy != null) haproxy.destroyForcibly();
        for (Instance i : new Instance[] {a, b}) {
            if (i != null) i.close();
        }
    }

    @Test
    @Order(1)
    void theBrowserJourneyPassesThroughTheBalancerEveryStepServedByBoth() throws Exception {
        Path csv = tmp.resolve("people.csv");
        Files.writeString(csv, BrowserJourneyTest.CSV);
        Path shots = Files.createDirectories(PROJECT.resolve("target/screenshots/load-balancer"));
        Map<String, BrowserScript.Check> checks = new LinkedHashMap<>();
        checks.put("setup", details -> assertEquals(BOTH, details, "the instances that served the setup"));
        checks.put("signed-in", details -> assertEquals(BOTH, details, "the instances that served signing out and in"));
        checks.put("connected", details -> {
            assertEquals(BOTH, details, "the instances that served connecting the database");
            Client admin = Client.signIn(a.url);
            for (JsonNode d : admin.json(admin.get(b.url, "/api/v1/databases"), 200)) {
                if (d.path("name").asText().equals(DATABASE)) db = d.path("id").asLong();
            }
            assertTrue(db > 0, "instance b lists the database connected through the balancer");
        });
        checks.put("imported", details -> {
            assertEquals(BOTH, details, "the instances that served the import");
            assertEquals("6", userSql("SELECT count(*) FROM public.people"));
        });
        checks.put("saved", details -> awaitSql("SELECT email FROM public.people WHERE name = 'Cleo'", "cleo@example.com"));
        checks.put("edited", details -> assertEquals(BOTH, details, "the instances that served the edit and the reload"));

        String output = BrowserScript.run("balanced.mjs", List.of(balancer, balancer + "/setup?token=" + a.setupToken(), USERNAME, PASSWORD,
                DATABASE, userUrl, csv.toString(), shots.toString()), checks, 240);
        assertTrue(output.contains("ok - editing a cell, then reloading the page"), output);
    }

    @Test
    @Order(2)
    void aSessionStartedOnOneInstanceIsValidOnTheOtherAndSigningOutEndsItOnBoth() throws Exception {
        Client session = Client.signIn(a.url);
        JsonNode onB = session.json(session.get(b.url, "/api/v1/auth/session"), 200);
        assertEquals(USERNAME, onB.path("username").asText());
        assertEquals(session.csrf, onB.path("csrfToken").asText(), "the same session, with the same CSRF token");
        session.json(session.send(b.url, "POST", "/api/v1/databases/test", "{\"url\":\"" + userUrl + "\"}"), 200);

        assertEquals(204, session.send(b.url, "POST", "/api/v1/auth/logout", null).statusCode());
        assertEquals(401, session.get(a.url, "/api/v1/auth/session").statusCode(), "signed out on a too");
        assertEquals(401, session.get(b.url, "/api/v1/auth/session").statusCode());
        HttpResponse<String> stale = session.send(a.url, "POST", "/api/v1/databases/test", "{\"url\":\"" + userUrl + "\"}");
        assertEquals(401, stale.statusCode(), "the old cookie and token change nothing on a: " + stale.body());
        assertEquals("not_signed_in", JSON.readTree(stale.body()).path("code").asText());
    }

    @Test
    @Order(3)
    void aStructureChangeThroughOneInstanceIsSeenByTheOtherOnItsVeryNextRequest() throws Exception {
        Client c = Client.signIn(a.url);
        String tables = "/api/v1/databases/" + db + "/tables";
        long oid = c.json(c.send(a.url, "POST", tables,
                "{\"schema\":\"public\",\"name\":\"shared\",\"columns\":[{\"name\":\"title\",\"type\":\"text\"}]}"), 201).path("oid").asLong();
        String records = tables + "/" + oid + "/records";
        c.json(c.send(b.url, "POST", records, "{\"title\":\"first\"}"), 201);
        assertEquals(List.of("id", "title"), fields(c.json(c.get(b.url, records), 200).path("results").get(0)), "b has read the table");

        JsonNode added = c.json(c.send(a.url, "POST", tables + "/" + oid + "/columns", "{\"name\":\"pages\",\"type\":\"integer\"}"), 201);
        assertEquals(List.of("id", "title", "pages"), fields(c.json(c.get(b.url, records), 200).path("results").get(0)),
                "b's next read has the column a added");
        assertEquals(12, c.json(c.send(b.url, "POST", records, "{\"title\":\"second\",\"pages\":12}"), 201).path("pages").asInt());

        c.json(c.send(b.url, "PATCH", tables + "/" + oid, "{\"name\":\"renamed\"}"), 200);
        assertEquals("renamed", c.json(c.get(a.url, tables + "/" + oid), 200).path("name").asText(), "a's next request sees b's rename");
        List<String> names = new ArrayList<>();
        c.json(c.get(a.url, tables + "?schema=public"), 200).forEach(t -> names.add(t.path("name").asText()));
        assertTrue(names.contains("renamed") && !names.contains("shared"), names.toString());

        assertEquals(204, c.send(a.url, "DELETE", tables + "/" + oid + "/columns/" + added.path("attnum").asInt(), null).statusCode());
        assertEquals(List.of("id", "title"), fields(c.json(c.get(b.url, records + "?order=id:asc"), 200).path("results").get(1)),
                "b's next read no longer has the column a dropped");
        assertEquals("third", c.json(c.send(b.url, "POST", records, "{\"title\":\"third\"}"), 201).path("title").asText());
        assertEquals("first,second,third", userSql("SELECT string_agg(title, ',' ORDER BY id) FROM public.renamed"));
    }

    @Test
    @Order(4)
    void anImportStartedOnOneInstanceIsFollowedToItsEndOnTheOther() throws Exception {
        Client c = Client.signIn(a.url);
        StringBuilder csv = new StringBuilder("n,label\n");
        for (int i = 1; i <= 20_000; i++) csv.append(i).append(",row ").append(i).append('\n');
        long id = c.startImport(a.url, db, "followed", csv.toString().getBytes(StandardCharsets.UTF_8));

        String path = "/api/v1/databases/" + db + "/imports/" + id;
        JsonNode onB = awaitImport(c, b.url, path, "done", 60);
        assertEquals(20_000, onB.path("rowsDone").asLong(), onB.toString());
        JsonNode onA = c.json(c.get(a.url, path), 200);
        assertEquals("done", onA.path("state").asText());
        assertEquals(onB.path("tableOid").asLong(), onA.path("tableOid").asLong());
        JsonNode page = c.json(c.get(b.url, "/api/v1/databases/" + db + "/tables/" + onB.path("tableOid").asLong() + "/records?limit=1&order=n:desc"), 200);
        assertEquals(20_000, page.path("count").asLong());
        assertEquals(20_000, page.path("results").get(0).path("n").asLong());
    }

    @Test
    @Order(5)
    void anInstanceKilledMidImportLeavesNoLockNorTableAndTheOtherMarksTheImportFailed() throws Exception {
        Client c = Client.signIn(a.url);
        // Large enough that a's loading (PostgreSQL keeps up; a reads, converts and sends) lasts seconds.
        Path big = tmp.resolve("big.csv");
        try (BufferedWriter w = Files.newBufferedWriter(big)) {
            w.write("n,label\n");
            for (int i = 1; i <= 2_000_000; i++) {
                w.write(Integer.toString(i));
                w.write(",label number ");
                w.write(Integer.toString(i));
                w.write('\n');
            }
        }
        long id = c.startImport(a.url, db, "killed", Files.readAllBytes(big));
        String path = "/api/v1/databases/" + db + "/imports/" + id;

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode status;
        do {
            status = c.json(c.get(a.url, path), 200);
            assertEquals("running", status.path("state").asText(), "the import ended before a could be killed mid-load: " + status);
            assertTrue(System.nanoTime() < deadline, "the import did not start loading within 60 s: " + status);
            Thread.sleep(20);
        } while (status.path("rowsDone").asLong() == 0 || !"1".equals(userSql(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY %' AND state = 'active'")));
        a.kill();
        long killed = System.nanoTime();
        System.out.println("a was killed while loading, " + status.path("rowsDone").asLong() + " of 2,000,000 rows sent");

        // PostgreSQL ends the dead instance's transaction when its connection closes: no lock, no table, no rows.
        awaitSql("SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database"
                + " WHERE d.datname = current_database() AND l.locktype = 'relation' AND l.pid <> pg_backend_pid()", "0");
        assertEquals(null, userSql("SELECT to_regclass('public.killed')::text"), "no half-loaded table");

        // b marks it failed once a has been silent long enough; meanwhile the balancer keeps answering through b.
        JsonNode failed = null;
        int throughBalancer = 0;
        deadline = killed + TimeUnit.SECONDS.toNanos(SILENT_SECONDS + 30);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> viaBalancer = c.get(balancer, path);
            assertEquals(200, viaBalancer.statusCode(), "the balancer answers while a is dead: " + viaBalancer.body());
            throughBalancer++;
            JsonNode onB = c.json(c.get(b.url, path), 200);
            if (onB.path("state").asText().equals("failed")) {
                failed = onB;
                break;
            }
            assertEquals("running", onB.path("state").asText(), onB.toString());
            Thread.sleep(500);
        }
        assertNotNull(failed, "b did not mark the import failed within " + (SILENT_SECONDS + 30) + " s of a's death");
        assertEquals("Rowan stopped during the import; nothing was loaded.", failed.path("message").asText(), failed.toString());
        assertEquals("failed", c.json(c.get(balancer, path), 200).path("state").asText());
        assertTrue(throughBalancer > 10, "the balancer was asked " + throughBalancer + " times");
        assertEquals(null, userSql("SELECT to_regclass('public.killed')::text"));
    }

    private JsonNode awaitImport(Client c, String base, String path, String state, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        JsonNode status;
        do {
            status = c.json(c.get(base, path), 200);
            if (status.path("state").asText().equals(state)) return status;
            assertEquals("running", status.path("state").asText(), status.toString());
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the import was not " + state + " within " + seconds + " s: " + status);
    }

    private static List<String> fields(JsonNode record) {
        List<String> names = new ArrayList<>();
        record.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The first column of the first row of a query in the user database, as text (null for none). */
    private String userSql(String query) throws SQLException {
        try (Connection c = TestPostgres.connect(TestPostgres.databaseName(userUrl)); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Waits (at most 20 s) until the query answers {@code expected}. */
    private void awaitSql(String query, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String actual;
        do {
            actual = userSql(query);
            if (expected.equals(actual)) return;
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(query + " answered " + actual + ", not " + expected + ", for 20 s");
    }

    /** A signed-in API client: its session cookie and CSRF token, sent to whichever instance (or the balancer) is named. */
    private record Client(String cookie, String csrf) {
        static Client signIn(String base) throws IOException {
            HttpResponse<String> r = TestRowan.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + USERNAME + "\",\"password\":\"" + PASSWORD + "\"}")));
            assertEquals(200, r.statusCode(), r.body());
            return new Client("rowan_session=" + TestRowan.sessionCookie(r), JSON.readTree(r.body()).path("csrfToken").asText());
        }

        HttpResponse<String> get(String base, String path) {
            return TestRowan.send(HttpRequest.newBuilder(URI.create(base + path)).GET(), "Cookie", cookie);
        }

        HttpResponse<String> send(String base, String method, String path, String json) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
            if (json != null) b.header("Content-Type", "application/json");
            return TestRowan.send(b, "Cookie", cookie, "X-CSRF-Token", csrf);
        }

        /** Starts an import of the file into a new table; its id. */
        long startImport(String base, long db, String table, byte[] csv) throws IOException {
            HttpRequest.Builder form = Multipart.of("schema", "public", "table", table).file(table + ".csv", csv)
                    .post(URI.create(base + "/api/v1/databases/" + db + "/imports"));
            return json(TestRowan.send(form, "Cookie", cookie, "X-CSRF-Token", csrf), 202).path("id").asLong();
        }

        JsonNode json(HttpResponse<String> r, int expected) throws IOException {
            assertEquals(expected, r.statusCode(), r.request().method() + " " + r.uri() + ": " + r.body());
            return JSON.readTree(r.body());
        }
    }

    /** A Rowan started from target/rowan.jar in its own JVM and data directory, on a loopback port of its own. */
    private static final class Instance implements AutoCloseable {
        private static final Pattern SETUP = Pattern.compile("setup\\?token=([A-Za-z0-9_-]+)");
        final String name;
        final int port;
        final String url;
        private final Process process;
        private final ProcessOutput output;

        private Instance(String name, int port, Process process) {
            this.name = name;
            this.port = port;
            this.url = "http://127.0.0.1:" + port;
            this.process = process;
            this.output = new ProcessOutput(process.getInputStream());
        }

        static Instance start(String name, Path tmp, String internalUrl, String balancer) throws IOException {
            int port = FreePort.find();
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC", "-jar", JAR.toString()).directory(tmp.toFile()).redirectErrorStream(true);
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("ROWAN_") || List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS",
                    "DATABASE_URL", "PORT").contains(k));
            env.put("ROWAN_DATA_DIR", Files.createDirectories(tmp.resolve("instance-" + name)).toString());
            env.put("ROWAN_HTTP_HOST", "127.0.0.1");
            env.put("ROWAN_HTTP_PORT", Integer.toString(port));
            env.put("ROWAN_DATABASE_URL", internalUrl);
            env.put("ROWAN_SECRET_KEY", KEY);
            env.put("ROWAN_PUBLIC_URL", balancer);
            env.put("ROWAN_TRUSTED_PROXIES", "127.0.0.1/32");
            return new Instance(name, port, pb.start());
        }

        void awaitReady() throws InterruptedException {
            output.awaitReady(process, port);
        }

        String setupToken() {
            Matcher m = SETUP.matcher(output.toString());
            assertTrue(m.find(), "instance " + name + " printed no setup link:\n" + output);
            return m.group(1);
        }

        /** SIGKILL: the JVM ends at once, its connections closed by the kernel. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "instance " + name + " did not die");
            assertEquals(137, process.exitValue(), "killed by SIGKILL");
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroy();
                try {
                    if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    process.destroyForcibly();
                }
            }
        }
    }
}
