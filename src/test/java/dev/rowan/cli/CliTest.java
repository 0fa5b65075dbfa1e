package dev.rowan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rowan.testing.TestRowan;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    private Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = RootCommand.run(env, new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Run run(String... args) {
        return run(Map.of("ROWAN_DATA_DIR", tmp.resolve("data").toString()), args);
    }

    @Test
    void helpListsTheCommandsAndEveryCommandHasHelp() {
        Run help = run("--help");
        assertEquals(0, help.exit());
        for (String command : new String[] {"serve", "check", "config", "admin", "secret", "version"}) {
            assertTrue(help.out().contains(command), help.out());
            Run sub = run(command, "--help");
            assertEquals(0, sub.exit(), command);
            assertTrue(sub.out().contains("Usage: rowan " + command), sub.out());
        }
        assertTrue(run("serve", "--help").out().contains("--http-port"));
        assertTrue(run("check", "--help").out().contains("ROWAN_DATA_DIR"), "every command takes the configuration flags");
    }

    @Test
    void flagsBeforeTheCommandCountAndTheNearerOneWins() {
        Run before = run("--http-port", "9124", "config", "show");
        assertEquals(0, before.exit(), before.err());
        assertTrue(before.out().contains("= 9124"), before.out());
        assertTrue(before.out().contains("from command-line flag --http-port"), before.out());
        Run both = run("--http-port", "9124", "config", "--http-port", "9125", "show", "--http-port", "9126");
        assertEquals(0, both.exit(), both.err());
        assertTrue(both.out().contains("= 9126"), both.out());
    }

    @Test
    void versionPrintsRowanAndJava() {
        Run v = run("version");
        assertEquals(0, v.exit());
        assertTrue(v.out().startsWith("Rowan "), v.out());
        assertTrue(v.out().contains("Java " + Runtime.version().feature()), v.out());
    }

    @Test
    void configShowPrintsValuesAndSourcesWithSecretsMasked() {
        Map<String, String> env = new HashMap<>();
        env.put("ROWAN_DATA_DIR", tmp.toString());
        env.put("ROWAN_SECRET_KEY", "a-very-secret-value-that-must-not-print");
        env.put("DATABASE_URL", "postgres://app:dbpassword@db.example.com/rowan");
        Run show = run(env, "config", "show", "--http-port", "9123");
        assertEquals(0, show.exit(), show.err());
        assertTrue(show.out().contains("http.port"), show.out());
        assertTrue(show.out().contains("= 9123"), show.out());
        assertTrue(show.out().contains("from command-line flag --http-port"), show.out());
        assertTrue(show.out().contains("from environment variable DATABASE_URL"), show.out());
        assertTrue(show.out().contains("postgres://app:********@db.example.com/rowan"), show.out());
        assertFalse(show.out().contains("a-very-secret-value"), show.out());
        assertFalse(show.out().contains("dbpassword"), show.out());
    }

    @Test
    void badConfigurationExitsWithTheMessageAndNoStackTrace() {
        Run bad = run(Map.of("ROWAN_DATA_DIR", tmp.toString(), "ROWAN_HTTP_PORT", "99999"), "config", "show");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().startsWith("Configuration error: http.port (from environment variable ROWAN_HTTP_PORT) is \"99999\""), bad.err());
        assertFalse(bad.err().contains("at dev.rowan"), bad.err());
    }

    @Test
    void checkPassesBeforeFirstStartWithoutCreatingAnything() {
        Run check = run("check");
        assertEquals(0, check.exit(), check.out());
        assertTrue(check.out().contains("will be created at first start"), check.out());
        assertFalse(Files.exists(tmp.resolve("data")), "check changes nothing");
    }

    @Test
    void checkReportsAnInstalledRowanAndFailsOnAWrongSecretKey() throws IOException {
        try (TestRowan rowan = TestRowan.start(tmp.resolve("data"))) {
            assertTrue(rowan.console().contains("is running"));
        }
        Run ok = run("check");
        assertEquals(0, ok.exit(), ok.out());
        assertTrue(ok.out().matches("(?s).*schema version \\d+, up to date.*"), ok.out());
        assertTrue(ok.out().contains("matches the installation"), ok.out());

        Map<String, String> env = Map.of("ROWAN_DATA_DIR", tmp.resolve("data").toString(), "ROWAN_SECRET_KEY", "x".repeat(40));
        Run wrong = run(env, "check");
        assertEquals(1, wrong.exit(), wrong.out());
        assertTrue(wrong.out().contains("FAIL  secret key"), wrong.out());
        assertTrue(wrong.out().contains("Problems found"), wrong.out());

        Run adopt = run(env, "secret", "adopt");
        assertEquals(0, adopt.exit(), adopt.err());
        assertEquals(0, run(env, "check").exit(), "after adopt the new key is the installation's key");
    }

    @Test
    void resetPasswordChangesThePasswordAndSignsTheUserOut() throws IOException {
        Path data = tmp.resolve("data");
        String cookie;
        try (TestRowan rowan = TestRowan.start(data)) {
            cookie = "rowan_session=" + TestRowan.sessionCookie(rowan.post("/api/v1/setup",
                    "{\"token\":\"" + rowan.setupToken() + "\",\"username\":\"admin\",\"password\":\"correct horse battery\"}"));
        }
        Path pw = tmp.resolve("pw");
        Files.writeString(pw, "short\n");
        Run weak = run("admin", "reset-password", "--username", "admin", "--password-file", pw.toString());
        assertEquals(2, weak.exit());
        assertTrue(weak.err().contains("at least 10 characters"), weak.err());

        Files.writeString(pw, "a brand new passphrase\n");
        Run nobody = run("admin", "reset-password", "--username", "nobody", "--password-file", pw.toString());
        assertEquals(2, nobody.exit());
        assertTrue(nobody.err().contains("There is no user named \"nobody\""), nobody.err());

        Run reset = run("admin", "reset-password", "--username", "admin", "--password-file", pw.toString());
        assertEquals(0, reset.exit(), reset.err());
        try (TestRowan rowan = TestRowan.start(data)) {
            assertEquals(401, rowan.get("/api/v1/auth/session", "Cookie", cookie).statusCode());
            assertEquals(401, rowan.post("/api/v1/auth/login", "{\"username\":\"admin\",\"password\":\"correct horse battery\"}").statusCode());
            assertEquals(200, rowan.post("/api/v1/auth/login", "{\"username\":\"admin\",\"password\":\"a brand new passphrase\"}").statusCode());
        }
    }

    @Test
    void maintenanceCommandsRefuseAnInstallationThatNeverStarted() throws IOException {
        Path pw = tmp.resolve("pw");
        Files.writeString(pw, "a brand new passphrase\n");
        Run r = run("admin", "reset-password", "--username", "admin", "--password-file", pw.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("does not exist yet"), r.err());
    }
}
