package dev.rowan.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rowan.UserFacingException;
import dev.rowan.testing.TestRowan;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirstStartTest {
    @TempDir
    Path tmp;

    private static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void zeroConfigurationStartCreatesAnOwnerOnlyDataDirectoryWithSecretAndSqliteDatabase() throws IOException {
        Path data = tmp.resolve("nested/rowan");
        try (TestRowan rowan = TestRowan.start(data)) {
            assertEquals("rwx------", perms(data));
            assertEquals("rw-------", perms(data.resolve("rowan.conf")));
            assertEquals("rw-------", perms(data.resolve("rowan.db")));
            String conf = Files.readString(data.resolve("rowan.conf"));
            assertTrue(conf.matches("(?s).*\nsecret\\.key = [A-Za-z0-9_-]{43}\n"), conf);
            String console = rowan.console();
            assertTrue(console.contains("Data directory:    " + data), console);
            assertTrue(console.contains("Internal database: SQLite " + data.resolve("rowan.db")), console);
            assertTrue(console.contains("generated now and stored in " + data.resolve("rowan.conf")), console);
            assertTrue(console.contains(rowan.baseUrl() + "/setup?token="), console);
            String key = conf.substring(conf.indexOf("secret.key = ") + 13).strip();
            assertFalse(console.contains(key), "the console must never show the secret key");
            assertEquals(200, rowan.get("/health/ready").statusCode());
            assertEquals(200, rowan.get("/health/live").statusCode());
        }
    }

    @Test
    void aSecondStartReusesTheKeyAndDatabaseAndNeverRewritesTheConfigFile() throws IOException {
        Path data = tmp.resolve("data");
        String firstConf;
        String firstFingerprint;
        try (TestRowan rowan = TestRowan.start(data)) {
            firstConf = Files.readString(data.resolve("rowan.conf"));
            firstFingerprint = fingerprint(rowan.console());
            assertEquals(201, rowan.post("/api/v1/setup", "{\"token\":\"" + rowan.setupToken()
                    + "\",\"username\":\"admin\",\"password\":\"correct horse battery\"}").statusCode());
        }
        try (TestRowan again = TestRowan.start(data)) {
            assertEquals(firstConf, Files.readString(data.resolve("rowan.conf")));
            assertEquals(firstFingerprint, fingerprint(again.console()));
            assertTrue(again.console().contains("from config file " + data.resolve("rowan.conf")), again.console());
            assertNull(again.setupLink(), "setup is done: no new setup link");
            assertFalse(again.console().contains("setup?token="), again.console());
            assertEquals(200, again.post("/api/v1/auth/login", "{\"username\":\"admin\",\"password\":\"correct horse battery\"}").statusCode());
        }
    }

    private static String fingerprint(String console) {
        int i = console.indexOf("fingerprint ");
        return console.substring(i + 12, i + 31);
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedIsOneClearSentence() throws IOException {
        Path file = tmp.resolve("a-file");
        Files.writeString(file, "x");
        UserFacingException e = assertThrows(UserFacingException.class, () -> TestRowan.start(file.resolve("data")));
        assertTrue(e.getMessage().startsWith("Rowan cannot use the data directory " + file.resolve("data")), e.getMessage());
        assertTrue(e.getMessage().contains("--data-dir or ROWAN_DATA_DIR"), e.getMessage());
    }

    @Test
    void aDataDirectoryThatIsAFileIsRefused() throws IOException {
        Path file = tmp.resolve("plain-file");
        Files.writeString(file, "x");
        UserFacingException e = assertThrows(UserFacingException.class, () -> TestRowan.start(file));
        assertTrue(e.getMessage().contains("Rowan cannot use the data directory " + file), e.getMessage());
    }

    @Test
    void aPortInUseNamesTheSettingAndHowToChangeIt() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            UserFacingException e = assertThrows(UserFacingException.class,
                    () -> TestRowan.start(tmp.resolve("d"), Map.of("http.port", Integer.toString(taken.getLocalPort())), Map.of()));
            assertTrue(e.getMessage().startsWith("Configuration error: http.port (from command-line flag --http-port) is " + taken.getLocalPort()),
                    e.getMessage());
            assertTrue(e.getMessage().contains("ROWAN_HTTP_PORT"), e.getMessage());
        }
    }

    @Test
    void aChangedSqliteLocationIsDetectedInsteadOfStartingFresh() throws IOException {
        Path data = tmp.resolve("data");
        try (TestRowan rowan = TestRowan.start(data)) {
            assertNotEquals(null, rowan.setupToken());
        }
        Files.move(data.resolve("rowan.db"), tmp.resolve("moved.db"));
        Files.deleteIfExists(data.resolve("rowan.db-wal"));
        Files.deleteIfExists(data.resolve("rowan.db-shm"));
        UserFacingException e = assertThrows(UserFacingException.class, () -> TestRowan.start(data));
        assertTrue(e.getMessage().contains("is empty. Rowan will not start as if freshly installed"), e.getMessage());
        assertTrue(e.getMessage().contains("delete " + data.resolve("installation.properties")), e.getMessage());
    }

    @Test
    void badAdminBootstrapPasswordStopsStartup() {
        UserFacingException e = assertThrows(UserFacingException.class, () -> TestRowan.start(tmp.resolve("d"), Map.of(),
                Map.of("ROWAN_ADMIN_USERNAME", "admin", "ROWAN_ADMIN_PASSWORD", "short")));
        assertTrue(e.getMessage().contains("at least 10 characters"), e.getMessage());
        assertFalse(e.getMessage().contains("short\""), e.getMessage());
    }
}
