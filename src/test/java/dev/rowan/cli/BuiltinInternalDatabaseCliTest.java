package dev.rowan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rowan.testing.TestRowan;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The maintenance commands with the internal database on the built-in server: while Rowan runs (as with
 * `docker exec`) they use its server without stopping it; otherwise they start it for themselves.
 */
class BuiltinInternalDatabaseCliTest {
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    private Path data() {
        return tmp.resolve("data");
    }

    private Map<String, String> env(String... more) {
        Map<String, String> env = new HashMap<>(Map.of("ROWAN_DATA_DIR", data().toString(), "ROWAN_DATABASE_DEFAULT", "builtin"));
        for (int i = 0; i < more.length; i += 2) env.put(more[i], more[i + 1]);
        return env;
    }

    private static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = RootCommand.run(env, new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private TestRowan start(Map<String, String> env) {
        return TestRowan.start(data(), Map.of(), env);
    }

    private static int login(TestRowan rowan, String password) {
        return rowan.post("/api/v1/auth/login", "{\"username\":\"admin\",\"password\":\"" + password + "\"}").statusCode();
    }

    @Test
    void checkAndResetPasswordUseTheServerOfARunningRowanAndLeaveItRunning() throws IOException {
        Run before = run(env(), "check");
        assertEquals(0, before.exit(), before.out());
        assertTrue(before.out().contains("internal database built-in PostgreSQL in " + data().resolve("postgres") + " will be created at first start"),
                before.out());
        try (TestRowan rowan = start(env())) {
            assertEquals(201, rowan.post("/api/v1/setup", "{\"token\":\"" + rowan.setupToken() + "\",\"username\":\"admin\",\"password\":\""
                    + PASSWORD + "\"}").statusCode());
            String pid = Files.readAllLines(data().resolve("postgres/postmaster.pid")).get(0);

            Run check = run(env(), "check");
            assertEquals(0, check.exit(), check.out());
            assertTrue(check.out().contains("ok    internal database built-in PostgreSQL in " + data().resolve("postgres") + " is reachable"), check.out());
            assertTrue(check.out().contains("matches the installation"), check.out());

            Path pw = tmp.resolve("pw");
            Files.writeString(pw, "a brand new passphrase\n");
            Run reset = run(env(), "admin", "reset-password", "--username", "admin", "--password-file", pw.toString());
            assertEquals(0, reset.exit(), reset.err());

            assertEquals(pid, Files.readAllLines(data().resolve("postgres/postmaster.pid")).get(0), "the running server was not replaced");
            assertEquals(200, rowan.get("/health/ready").statusCode(), "Rowan's internal database still answers");
            assertEquals(200, login(rowan, "a brand new passphrase"), "the running Rowan sees the new password");
        }
        Run stopped = run(env(), "check");
        assertEquals(0, stopped.exit(), stopped.out());
        assertTrue(stopped.out().contains("schema version"), stopped.out());
        assertFalse(Files.exists(data().resolve("postgres/postmaster.pid")), "a server started for the check is stopped again");
    }

    @Test
    void secretRotateAndAdoptKeepWorkingBecauseTheServerPasswordDoesNotDependOnTheKey() throws IOException {
        String serverPassword;
        try (TestRowan rowan = start(env())) {
            HttpResponse<String> setup = rowan.post("/api/v1/setup", "{\"token\":\"" + rowan.setupToken()
                    + "\",\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}");
            String csrf = setup.body().replaceAll(".*\"csrfToken\":\"([^\"]+)\".*", "$1");
            assertEquals(201, rowan.post("/api/v1/databases", "{\"name\":\"Shop\",\"builtin\":true}",
                    "Cookie", "rowan_session=" + TestRowan.sessionCookie(setup), "X-CSRF-Token", csrf).statusCode());
            serverPassword = Files.readString(data().resolve("postgres.password"));
        }
        String keyBefore = Files.readString(data().resolve("rowan.conf"));
        Run rotate = run(env(), "secret", "rotate");
        assertEquals(0, rotate.exit(), rotate.err());
        assertFalse(keyBefore.equals(Files.readString(data().resolve("rowan.conf"))), "a new key is in rowan.conf");
        assertEquals(serverPassword, Files.readString(data().resolve("postgres.password")));
        assertStartsAndShopIsReady(env());

        // The key is lost for good: another one is configured and adopted.
        Map<String, String> otherKey = env("ROWAN_SECRET_KEY", "another-key-of-enough-length-0123456789");
        Run refused = run(otherKey, "check");
        assertEquals(1, refused.exit(), refused.out());
        assertTrue(refused.out().contains("FAIL  secret key"), refused.out());
        Run adopt = run(otherKey, "secret", "adopt");
        assertEquals(0, adopt.exit(), adopt.err());
        assertStartsAndShopIsReady(otherKey);
    }

    private void assertStartsAndShopIsReady(Map<String, String> env) {
        try (TestRowan rowan = start(env)) {
            HttpResponse<String> login = rowan.post("/api/v1/auth/login", "{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}");
            assertEquals(200, login.statusCode(), login.body());
            String databases = rowan.get("/api/v1/databases", "Cookie", "rowan_session=" + TestRowan.sessionCookie(login)).body();
            assertTrue(databases.contains("\"name\":\"Shop\",\"status\":\"ready\""), databases);
        }
    }
}
