package dev.rowan.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rowan.testing.TestRowan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Limits that keep requests from before sign-in from exhausting the server: body size, argon2 work, URL length. */
class RequestLimitsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "correct horse battery";
    private static final int MB = 1024 * 1024;

    @TempDir
    Path tmp;
    private TestRowan rowan;

    @AfterEach
    void stop() {
        if (rowan != null) rowan.close();
    }

    private static JsonNode json(String body) throws IOException {
        return JSON.readTree(body);
    }

    /** A raw HTTP/1.1 answer: the status line and headers, then the body as sent (chunked or not). */
    private record RawAnswer(int status, String head, String body) {
    }

    private static RawAnswer readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0; ) {
            all.write(buffer, 0, n);
        }
        String text = all.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        assertTrue(end > 0, "an HTTP answer: " + text);
        return new RawAnswer(Integer.parseInt(text.substring(9, 12)), text.substring(0, end), text.substring(end + 4));
    }

    /**
     * Sends a sign-in whose chunked body would be {@code totalBytes} long, from another thread, and
     * reads the answer as soon as it comes. Returns the answer and how many body bytes had gone out.
     */
    private RawAnswer chunkedSignIn(long totalBytes, AtomicLong sent) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", rowan.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            ExecutorService writer = Executors.newSingleThreadExecutor();
            try {
                writer.submit(() -> {
                    byte[] chunk = ("{\"username\":\"admin\",\"password\":\"" + "p".repeat(64 * 1024)).getBytes(StandardCharsets.US_ASCII);
                    byte[] header = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                    try {
                        while (sent.get() < totalBytes) {
                            out.write(header);
                            out.write(chunk);
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                            sent.addAndGet(chunk.length);
                        }
                    } catch (IOException closedByTheServer) {
                        // expected: Rowan answers and closes the connection without reading the rest
                    }
                    return null;
                });
                return readAnswer(socket.getInputStream());
            } finally {
                writer.shutdownNow();
                writer.awaitTermination(20, TimeUnit.SECONDS);
            }
        }
    }

    private static void assertTooLarge(RawAnswer answer) throws IOException {
        assertEquals(413, answer.status(), answer.head());
        assertTrue(answer.head().toLowerCase().contains("content-type: application/problem+json"), answer.head());
        assertTrue(answer.head().toLowerCase().contains("connection: close"), answer.head());
        String body = answer.body().substring(answer.body().indexOf('{'), answer.body().lastIndexOf('}') + 1);
        assertEquals("body_too_large", json(body).get("code").asText(), body);
    }

    @Test
    void aChunkedBodyBeforeSignInIsRefusedAfterItsLimitWithoutReadingTheRest() throws Exception {
        rowan = TestRowan.start(tmp);
        long start = System.nanoTime();
        AtomicLong sent = new AtomicLong();
        RawAnswer answer = chunkedSignIn(20L * MB, sent);
        assertTooLarge(answer);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15), "answered quickly");
    }

    @Test
    void theAnswerComesBeforeTheBodyHasEvenBeenSent() throws Exception {
        rowan = TestRowan.start(tmp);
        // 256 KiB, four times the limit, and then the client stops sending without ending the body:
        // a server waiting for the whole body would never answer (the socket times out).
        AtomicLong sent = new AtomicLong();
        try (Socket socket = new Socket("127.0.0.1", rowan.port())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = "p".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 4; i++) {
                out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                sent.addAndGet(chunk.length);
            }
            out.flush();
            assertTooLarge(readAnswer(socket.getInputStream()));
        }
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedAndSignedInRequestsKeepTheirLargerLimit() throws Exception {
        rowan = TestRowan.start(tmp);
        HttpResponse<String> big = rowan.post("/api/v1/auth/login", "{\"username\":\"admin\",\"password\":\"" + "p".repeat(100_000) + "\"}");
        assertEquals(413, big.statusCode(), big.body());
        assertEquals("body_too_large", json(big.body()).get("code").asText());
        assertTrue(json(big.body()).get("detail").asText().contains("64 KiB"), big.body());

        HttpResponse<String> setup = rowan.post("/api/v1/setup", "{\"token\":\"" + rowan.setupToken() + "\",\"username\":\"admin\",\"password\":\""
                + PASSWORD + "\"}");
        assertEquals(201, setup.statusCode(), setup.body());
        String cookie = "rowan_session=" + TestRowan.sessionCookie(setup);
        String csrf = json(setup.body()).get("csrfToken").asText();
        // 200 KB of JSON from a signed-in administrator is read (the unknown member is ignored) ...
        HttpResponse<String> signedIn = rowan.post("/api/v1/databases/test",
                "{\"url\":\"postgres://rowan@127.0.0.1:1/none\",\"padding\":\"" + "x".repeat(200_000) + "\"}",
                "Cookie", cookie, "X-CSRF-Token", csrf);
        assertEquals(422, signedIn.statusCode(), signedIn.body());
        // ... and over 1 MB it is not.
        HttpResponse<String> tooBig = rowan.post("/api/v1/databases/test",
                "{\"url\":\"postgres://rowan@127.0.0.1:1/none\",\"padding\":\"" + "x".repeat(1_100_000) + "\"}",
                "Cookie", cookie, "X-CSRF-Token", csrf);
        assertEquals(413, tooBig.statusCode(), tooBig.body());
        assertTrue(json(tooBig.body()).get("detail").asText().contains("1 MB"), tooBig.body());
    }

    @Test
    void aLongFilterUrlFitsAndOneBeyondTheLimitGetsAProblemDocument() throws Exception {
        rowan = TestRowan.start(tmp);
        String filter = "?filter=" + "%7B%22column%22%3A%22name%22%7D".repeat(700);
        assertTrue(filter.length() > 20_000);
        HttpResponse<String> fits = rowan.get("/api/v1/databases/1/tables/1/records" + filter);
        assertEquals(401, fits.statusCode(), "a 20 KB filter reaches Rowan (which wants a sign-in first): " + fits.body());

        HttpResponse<String> tooLong = rowan.get("/api/v1/databases/1/tables/1/records" + filter.repeat(4));
        assertEquals(414, tooLong.statusCode(), tooLong.body());
        assertEquals("application/problem+json", tooLong.headers().firstValue("Content-Type").orElse(""));
        JsonNode problem = json(tooLong.body());
        assertEquals("uri_too_long", problem.get("code").asText());
        assertEquals(414, problem.get("status").asInt());
        assertTrue(problem.get("detail").asText().contains("64 KiB"), tooLong.body());
        assertTrue(problem.get("hint").asText().contains("filter"), tooLong.body());

        HttpResponse<String> headers = rowan.get("/api/v1/setup", "Cookie", "big=" + "c".repeat(80_000));
        assertEquals(431, headers.statusCode(), headers.body());
        assertEquals("headers_too_large", json(headers.body()).get("code").asText());
    }

    /**
     * 150 sign-ins with random names at once, each costing a full argon2 check: the surplus is refused as
     * busy, and /health/ready keeps answering within 1 s throughout, the timeout of a Kubernetes
     * readiness probe (the Helm chart keeps its default).
     */
    @Test
    void aStormOfSignInsIsPartlyRefusedAsBusyAndHealthStaysFast() throws Exception {
        rowan = TestRowan.start(tmp);
        // Warm up first: the first requests after start are slow for reasons of their own (class loading, JIT).
        for (int i = 0; i < 3; i++) {
            assertEquals(200, rowan.get("/health/ready").statusCode());
            assertEquals(401, rowan.post("/api/v1/auth/login", "{\"username\":\"warm-up\",\"password\":\"some password\"}").statusCode());
        }
        int storm = 150;
        // The probe has a client of its own, as a real one would, so it does not queue behind the storm's requests in the client.
        HttpClient probe = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(storm + 1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean storming = new AtomicBoolean(true);
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        try {
            Future<List<Long>> health = pool.submit(() -> {
                go.await();
                List<Long> millis = new ArrayList<>();
                while (storming.get() && millis.size() < 200) {
                    long start = System.nanoTime();
                    HttpResponse<String> r = probe.send(HttpRequest.newBuilder(URI.create(rowan.baseUrl() + "/health/ready"))
                            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                    millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                    assertEquals(200, r.statusCode(), r.body());
                    Thread.sleep(100);
                }
                return millis;
            });
            List<Future<?>> signIns = new ArrayList<>();
            for (int i = 0; i < storm; i++) {
                signIns.add(pool.submit((Callable<Void>) () -> {
                    go.await();
                    HttpResponse<String> r = rowan.post("/api/v1/auth/login",
                            "{\"username\":\"u" + UUID.randomUUID() + "\",\"password\":\"some password\"}");
                    statuses.merge(r.statusCode(), 1, Integer::sum);
                    if (r.statusCode() == 503) {
                        assertEquals("busy", json(r.body()).get("code").asText(), r.body());
                        assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : signIns) {
                f.get(120, TimeUnit.SECONDS);
            }
            storming.set(false);
            List<Long> millis = health.get(30, TimeUnit.SECONDS);
            Map<Integer, Integer> seen = new TreeMap<>(statuses);
            assertEquals(storm, seen.getOrDefault(401, 0) + seen.getOrDefault(503, 0), seen.toString());
            assertTrue(seen.getOrDefault(503, 0) > 0, "the argon2 cap refused some as busy: " + seen);
            assertTrue(seen.getOrDefault(401, 0) > 0, "and checked others: " + seen);
            assertTrue(millis.size() >= 3, "health was asked during the storm: " + millis);
            assertTrue(millis.stream().allMatch(m -> m < 1000), "/health/ready took (ms) " + millis);
        } finally {
            storming.set(false);
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
    }
}
