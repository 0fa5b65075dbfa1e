package dev.rowan.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Rowan started from its jar as a process of its own, as an installation runs it (the JVM options in the
 * system property bench.rowanJavaOpts), on 127.0.0.1 and a free port, with an administrator created at start
 * and signed in: what the benchmarks drive through the API. Its output goes to rowan.log beside its data
 * directory.
 */
final class RowanProcess implements AutoCloseable {
    static final String USERNAME = "bench";
    private static final String PASSWORD = "bench password 123";
    private static final ObjectMapper JSON = new ObjectMapper();

    final Process process;
    /** http://127.0.0.1:port, without a trailing slash. */
    final String base;
    /** The session cookie as a request sends it ({@code rowan_session=…}). */
    final String cookie;
    final String csrf;

    private RowanProcess(Process process, String base, String cookie, String csrf) {
        this.process = process;
        this.base = base;
        this.cookie = cookie;
        this.csrf = csrf;
    }

    /** Starts Rowan on a fresh or existing data directory, waits (at most 60 s) until it is ready and signs in. */
    static RowanProcess start(String jar, Path dataDir, Map<String, String> environment, HttpClient http) throws Exception {
        int port = freePort();
        String base = "http://127.0.0.1:" + port;
        List<String> command = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java"));
        String options = System.getProperty("bench.rowanJavaOpts", "").strip();
        if (!options.isEmpty()) command.addAll(List.of(options.split("\\s+")));
        command.addAll(List.of("-jar", jar, "--data-dir", dataDir.toString(), "--http-port", Integer.toString(port)));
        System.out.println("Rowan: " + String.join(" ", command.subList(1, command.size())));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("ROWAN_HTTP_HOST", "127.0.0.1");
        pb.environment().put("ROWAN_ADMIN_USERNAME", USERNAME);
        pb.environment().put("ROWAN_ADMIN_PASSWORD", PASSWORD);
        pb.environment().putAll(environment);
        Path log = dataDir.resolveSibling("rowan.log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        try {
            awaitReady(http, base, p, log);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + USERNAME + "\",\"password\":\"" + PASSWORD + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException("sign-in: " + r.statusCode() + " " + r.body());
            String set = r.headers().firstValue("Set-Cookie").orElseThrow();
            return new RowanProcess(p, base, set.substring(0, set.indexOf(';')), JSON.readTree(r.body()).get("csrfToken").asText());
        } catch (Exception | Error e) {
            stop(p);
            throw e;
        }
    }

    private static void awaitReady(HttpClient http, String base, Process p, Path log) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (!p.isAlive()) throw new IllegalStateException("Rowan exited with " + p.exitValue() + "; see " + log);
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) return;
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("Rowan did not become ready within 60 s; see " + log);
    }

    /** A request to Rowan's API carrying the session cookie and the CSRF header. */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie).header("X-CSRF-Token", csrf);
    }

    /** Rowan's resident memory in kB, from /proc (0 once the process has ended). */
    long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException ended) {
            // the process ended
        }
        return 0;
    }

    /** Stops Rowan as a service manager would (SIGTERM: it stops its built-in server too), killing it after 30 s. */
    @Override
    public void close() throws InterruptedException {
        stop(process);
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
