package dev.rowan.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rowan.testing.TestPostgres;
import dev.rowan.testing.TestRowan;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sign-in rate limit under parallel guesses, on both kinds of internal database. */
class SignInLimitsTest {
    private static final String PASSWORD = "correct horse battery";
    private static final int LIMIT = 10;
    private static final int BURST = 60;

    @TempDir
    Path tmp;
    private TestRowan rowan;

    @AfterEach
    void stop() {
        if (rowan != null) rowan.close();
    }

    @Test
    void aParallelBurstOfWrongPasswordsGetsNoMoreChecksThanTheLimitOnSqlite() throws Exception {
        rowan = TestRowan.start(tmp, Map.of("login.max-failures", Integer.toString(LIMIT)), Map.of());
        burstIsLimited();
    }

    @Test
    void aParallelBurstOfWrongPasswordsGetsNoMoreChecksThanTheLimitOnPostgres() throws Exception {
        rowan = TestRowan.start(tmp, Map.of("login.max-failures", Integer.toString(LIMIT)),
                Map.of("ROWAN_DATABASE_URL", TestPostgres.newDatabase(), "ROWAN_SECRET_KEY", "k".repeat(20) + "-shared-secret-key-for-tests"));
        burstIsLimited();
    }

    private void burstIsLimited() throws Exception {
        assertEquals(201, rowan.post("/api/v1/setup", "{\"token\":\"" + rowan.setupToken() + "\",\"username\":\"admin\",\"password\":\""
                + PASSWORD + "\"}").statusCode());
        Map<Integer, Integer> statuses = burst(BURST, i -> "{\"username\":\"admin\",\"password\":\"wrong guess " + i + "\"}");
        int checked = statuses.getOrDefault(401, 0);
        // 503 (busy) answers were never checked and are given back; every other answer is a check or a refusal.
        assertTrue(checked <= LIMIT, "at most " + LIMIT + " guesses may be checked: " + statuses);
        assertTrue(checked >= 1, statuses.toString());
        assertEquals(BURST, checked + statuses.getOrDefault(429, 0) + statuses.getOrDefault(503, 0), statuses.toString());
        assertTrue(statuses.getOrDefault(429, 0) >= BURST - LIMIT - statuses.getOrDefault(503, 0), statuses.toString());
        if (checked == LIMIT) {
            assertEquals(429, login(PASSWORD).statusCode(), "the right password is refused too until the window ends");
        }
    }

    /** {@code n} sign-ins sent at once; how many got each status. */
    private Map<Integer, Integer> burst(int n, java.util.function.IntFunction<String> body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String json = body.apply(i);
                answers.add(pool.submit((Callable<Integer>) () -> {
                    go.await();
                    return rowan.post("/api/v1/auth/login", json).statusCode();
                }));
            }
            go.countDown();
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (Future<Integer> f : answers) {
                statuses.merge(f.get(60, TimeUnit.SECONDS), 1, Integer::sum);
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    private HttpResponse<String> login(String password) {
        return rowan.post("/api/v1/auth/login", "{\"username\":\"admin\",\"password\":\"" + password + "\"}");
    }
}
