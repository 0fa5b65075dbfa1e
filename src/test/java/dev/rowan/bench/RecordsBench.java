package dev.rowan.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The records benchmark (bench/records.sh runs it): a 100-row page through Rowan's API against the same
 * query run directly over JDBC, on the same PostgreSQL, in the same run; flat page cost from 10 thousand
 * to 10 million rows; and, with wrk, throughput and memory under load. Prints figures, asserts nothing.
 *
 * Rowan runs as its own process (the jar, with the JVM options in bench.rowanJavaOpts), so the figures
 * include HTTP, JSON and the session check, as a browser would see them; the API side is warmed up
 * first (bench.warmup requests per scenario), as a running server is. The direct baseline reads every column as text with a prepared statement on
 * one open connection: the cheapest a Java client can get the same rows.
 */
public final class RecordsBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final int WARMUP = Integer.getInteger("bench.warmup", 500);
    private static final int RUNS = Integer.getInteger("bench.runs", 200);

    private static String base;
    private static String cookie;
    private static String csrf;

    public static void main(String[] args) throws Exception {
        String jar = args.length > 0 ? args[0] : "target/rowan.jar";
        long bigRows = Long.getLong("bench.huge", 10_000_000L);
        Path work = Files.createTempDirectory("rowan-bench");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(work.resolve("pg")).setCleanDataDirectory(true)
                .setServerConfig("shared_buffers", "512MB").setServerConfig("max_wal_size", "4GB").start()) {
            System.out.println("PostgreSQL on port " + pg.getPort() + "; loading tables (1,000,000, 10,000 and " + bigRows + " rows)…");
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE bench");
            }
            String url = "jdbc:postgresql://localhost:" + pg.getPort() + "/bench";
            try (Connection c = java.sql.DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
                load(s, "items", 1_000_000);
                load(s, "small", 10_000);
                load(s, "huge", bigRows);
            }
            try (RowanProcess rowan = RowanProcess.start(jar, work.resolve("rowan"), Map.of(), HTTP)) {
                base = rowan.base;
                cookie = rowan.cookie;
                csrf = rowan.csrf;
                long db = connect("postgres://postgres@localhost:" + pg.getPort() + "/bench");
                long items;
                try (Connection c = java.sql.DriverManager.getConnection(url, "postgres", "")) {
                    items = oid(c, "items");
                    pages(c, db);
                    flat(c, db);
                }
                throughput(db, items, rowan);
            }
        }
    }

    /** Eight mixed columns: key, text, integer, numeric, boolean, date, timestamp, email-ish text. */
    private static void load(Statement s, String table, long rows) throws SQLException {
        long t0 = System.nanoTime();
        s.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, name text, quantity integer, price numeric(10,2),"
                + " active boolean, born date, updated timestamp, email text)");
        s.execute("INSERT INTO " + table + " SELECT g, 'name ' || md5(g::text), (g * 7919) % 1000, ((g * 104729) % 100000) / 100.0,"
                + " g % 3 = 0, date '2000-01-01' + (g % 9000)::int, timestamp '2020-01-01' + make_interval(secs => g),"
                + " 'user' || g || '@example.org' FROM generate_series(1::bigint, " + rows + ") g");
        s.execute("VACUUM ANALYZE " + table);
        System.out.printf(Locale.ROOT, "  %s: %,d rows in %.1f s%n", table, rows, (System.nanoTime() - t0) / 1e9);
    }

    private static long connect(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/databases"))
                .header("Content-Type", "application/json").header("Cookie", cookie).header("X-CSRF-Token", csrf)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Bench\",\"url\":\"" + url + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) throw new IllegalStateException(r.body());
        return JSON.readTree(r.body()).get("id").asLong();
    }

    private static long oid(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT '" + table + "'::regclass::oid")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String recordsPath(long db, long oid, String query) {
        return "/api/v1/databases/" + db + "/tables/" + oid + "/records?" + query;
    }

    private static HttpResponse<String> api(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(path + " -> " + r.statusCode() + " " + r.body());
        return r;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** One scenario: the API request and the direct SQL it stands for; both must return 100 rows. */
    private record Scenario(String name, String apiPath, String sql, boolean heavy, Object... params) {
    }

    private static void pages(Connection c, long db) throws Exception {
        long items = oid(c, "items");
        String after = JSON.readTree(api(recordsPath(db, items, "limit=100&offset=499900")).body()).path("next").asText(null);
        String filter = "{\"column\":\"name\",\"op\":\"contains_ci\",\"value\":\"abc\"}";
        List<Scenario> scenarios = new ArrayList<>(List.of(
                new Scenario("first page", recordsPath(db, items, "limit=100"), "SELECT * FROM items ORDER BY id LIMIT 100", false),
                new Scenario("offset 500,000", recordsPath(db, items, "limit=100&offset=500000"),
                        "SELECT * FROM items ORDER BY id LIMIT 100 OFFSET 500000", true),
                new Scenario("sort by unindexed column", recordsPath(db, items, "limit=100&order=" + enc("price:desc")),
                        "SELECT * FROM items ORDER BY price DESC NULLS FIRST, id LIMIT 100", true),
                new Scenario("contains filter", recordsPath(db, items, "limit=100&filter=" + enc(filter)),
                        // bound, as Rowan binds it: with a literal pattern the planner estimates differently and sorts the whole table
                        "SELECT * FROM items WHERE name ILIKE ? ORDER BY id LIMIT 100", false, "%abc%")));
        if (after != null) {
            scenarios.add(2, new Scenario("keyset after row 500,000", recordsPath(db, items, "limit=100&after=" + enc(after)),
                    "SELECT * FROM items WHERE id > 500000 ORDER BY id LIMIT 100", false));
        } else {
            System.out.println("  (the records answer has no `next` cursor: keyset scenario skipped)");
        }
        System.out.println();
        System.out.println("100-row pages of a 1,000,000-row table (" + RUNS + " runs each after " + WARMUP + " warm-up; ms)");
        System.out.println("(api p50: a Java HttpClient reading and parsing the JSON; wrk p50: the same request from wrk on one connection,"
                + " without the Java client's own cost)");
        System.out.printf(Locale.ROOT, "%-26s %9s %9s %9s %9s %9s %9s  %s%n", "scenario", "direct p50", "api p50", "api-direct", "ratio", "api p95",
                "wrk p50", "target");
        for (Scenario s : scenarios) {
            double[] direct = time(() -> direct(c, s.sql(), s.params()));
            double[] viaApi = time(() -> apiRows(s.apiPath()));
            double d = pct(direct, 50);
            double a = pct(viaApi, 50);
            double w = wrkP50(base + s.apiPath());
            String target = s.heavy() || d >= 10 ? "<= 1.3x direct" : "<= direct + 2 ms";
            boolean met = s.heavy() || d >= 10 ? a <= 1.3 * d : a <= d + 2;
            boolean metByWrk = s.heavy() || d >= 10 ? w <= 1.3 * d : w <= d + 2;
            System.out.printf(Locale.ROOT, "%-26s %9.2f %9.2f %9.2f %8.2fx %9.2f %9.2f  %s: %s (wrk: %s)%n", s.name(), d, a, a - d, a / d,
                    pct(viaApi, 95), w, target, met ? "met" : "NOT MET", metByWrk ? "met" : "NOT MET");
        }
    }

    private static void flat(Connection c, long db) throws Exception {
        long small = oid(c, "small");
        long huge = oid(c, "huge");
        double[] s = time(() -> apiRows(recordsPath(db, small, "limit=100&offset=100")));
        double[] h = time(() -> apiRows(recordsPath(db, huge, "limit=100&offset=100")));
        JsonNode hugeAnswer = JSON.readTree(api(recordsPath(db, huge, "limit=100&offset=100")).body());
        System.out.println();
        System.out.printf(Locale.ROOT, "Same page (offset 100) on 10,000 vs %,d rows: p50 %.2f ms vs %.2f ms, ratio %.2f (target <= 1.5)%n",
                Long.getLong("bench.huge", 10_000_000L), pct(s, 50), pct(h, 50), pct(h, 50) / pct(s, 50));
        System.out.println("  large table's count: " + hugeAnswer.path("count") + " (countIsEstimate " + hugeAnswer.path("countIsEstimate") + ")");
    }

    private static void throughput(long db, long items, RowanProcess rowan) throws Exception {
        String url = base + recordsPath(db, items, "limit=100");
        Path script = Files.createTempFile("wrk", ".lua");
        Files.writeString(script, "wrk.headers[\"Cookie\"] = \"" + cookie + "\"\n");
        long[] maxRss = {0};
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                maxRss[0] = Math.max(maxRss[0], rowan.rssKb());
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        System.out.println();
        System.out.println("Throughput: wrk, 2 threads, 8 connections, 20 s, first page of the 1,000,000-row table (target >= 1,500 req/s, RSS <= 300 MB)");
        sampler.start();
        Process wrk;
        try {
            wrk = new ProcessBuilder("wrk", "-t2", "-c8", "-d20s", "--latency", "-s", script.toString(), url).redirectErrorStream(true).start();
        } catch (IOException e) {
            System.out.println("  wrk is not installed (apt-get install wrk): skipped");
            sampler.interrupt();
            return;
        }
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        wrk.waitFor();
        sampler.interrupt();
        sampler.join();
        Arrays.stream(out.split("\n")).filter(l -> l.contains("Requests/sec") || l.contains("Non-2xx") || l.contains("Socket errors")
                || l.contains(" 50%") || l.contains(" 99%") || l.contains("requests in")).forEach(l -> System.out.println("  " + l.strip()));
        System.out.printf(Locale.ROOT, "  Rowan's peak RSS under load: %d MB%n", maxRss[0] / 1024);
    }

    /** The median latency wrk sees on one connection for 5 s (NaN when wrk is missing). */
    private static double wrkP50(String url) throws Exception {
        Path script = Files.createTempFile("wrk", ".lua");
        Files.writeString(script, "wrk.headers[\"Cookie\"] = \"" + cookie + "\"\n");
        Process wrk;
        try {
            wrk = new ProcessBuilder("wrk", "-t1", "-c1", "-d5s", "--latency", "-s", script.toString(), url).redirectErrorStream(true).start();
        } catch (IOException e) {
            return Double.NaN;
        }
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        wrk.waitFor();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s50%\\s+([0-9.]+)(us|ms|s)").matcher(out);
        if (!m.find()) return Double.NaN;
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }

    private interface Run {
        void run() throws Exception;
    }

    /** p50 etc. of RUNS timed runs, after WARMUP runs (or 10 s of them, for slow scenarios) to warm both JVMs and caches. */
    private static double[] time(Run r) throws Exception {
        long warmUntil = System.nanoTime() + 10_000_000_000L;
        for (int i = 0; i < WARMUP && System.nanoTime() < warmUntil; i++) r.run();
        double[] ms = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    private static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static void direct(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            read(ps, sql);
        }
    }

    private static void read(PreparedStatement ps, String sql) throws SQLException {
        int rows = 0;
        try (ResultSet rs = ps.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= n; i++) rs.getString(i);
                rows++;
            }
        }
        if (rows == 0) throw new IllegalStateException("no rows: " + sql);
    }

    private static void apiRows(String path) throws Exception {
        JsonNode body = JSON.readTree(api(path).body());
        if (body.path("results").size() == 0) throw new IllegalStateException("no rows: " + path);
    }
}
