package dev.rowan.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rowan.UserFacingException;
import dev.rowan.config.ConfigException;
import dev.rowan.testing.TestPostgres;
import dev.rowan.testing.TestRowan;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** database.default = builtin: the internal database on the built-in PostgreSQL server (what the Docker image runs). */
class BuiltinInternalDatabaseTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "correct horse battery";
    private static final Map<String, String> BUILTIN = Map.of("ROWAN_DATABASE_DEFAULT", "builtin");

    @TempDir
    Path tmp;

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(r.body(), e);
        }
    }

    @Test
    void theInternalDatabaseAndNewDatabasesLiveOnTheBuiltInServerAndARestartFindsThem() throws Exception {
        Path data = tmp.resolve("data");
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Level level = root.getLevel();
        root.addAppender(log);
        root.setLevel(Level.TRACE);
        String console;
        String superuserPassword;
        try (TestRowan rowan = TestRowan.start(data, Map.of(), BUILTIN)) {
            console = rowan.console();
            assertTrue(console.contains("Internal database: built-in PostgreSQL in " + data.resolve("postgres")), console);
            assertTrue(console.contains("database.default = builtin  (environment variable ROWAN_DATABASE_DEFAULT)"), console);
            assertFalse(Files.exists(data.resolve("rowan.db")), "no SQLite database");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("postgres.password"))));
            superuserPassword = Files.readString(data.resolve("postgres.password")).strip();
            assertTrue(superuserPassword.matches("[A-Za-z0-9_-]{43}"), "256 random bits");
            assertEquals(200, rowan.get("/health/ready").statusCode());

            HttpResponse<String> setup = rowan.post("/api/v1/setup", "{\"token\":\"" + rowan.setupToken()
                    + "\",\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}");
            assertEquals(201, setup.statusCode(), setup.body());
            String cookie = "rowan_session=" + TestRowan.sessionCookie(setup);
            HttpResponse<String> created = rowan.post("/api/v1/databases", "{\"name\":\"Shop\",\"builtin\":true}",
                    "Cookie", cookie, "X-CSRF-Token", json(setup).get("csrfToken").asText());
            assertEquals(201, created.statusCode(), created.body());
            assertEquals("ready", json(created).get("status").asText(), created.body());

            // One server holds both: Rowan's own tables in "rowan", the new database beside it.
            int port = Integer.parseInt(Files.readAllLines(data.resolve("postgres/postmaster.pid")).get(3).strip());
            assertEquals(List.of("postgres", "rowan", "rowan_shop"), query(port, superuserPassword, "postgres",
                    "SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY datname"));
            assertEquals(List.of("admin"), query(port, superuserPassword, "rowan", "SELECT username FROM rowan_user"));
        } finally {
            root.detachAppender(log);
            root.setLevel(level);
        }
        assertFalse(Files.exists(data.resolve("postgres/postmaster.pid")), "the server stopped with Rowan");
        List<String> logged = new ArrayList<>();
        log.list.forEach(e -> logged.add(e.getFormattedMessage()));
        assertTrue(logged.stream().anyMatch(m -> m.startsWith("Built-in PostgreSQL started")), logged.toString());
        assertFalse(console.contains(superuserPassword), "the superuser's password is never printed");
        assertFalse(logged.toString().contains(superuserPassword), "nor logged, at any level");

        try (TestRowan again = TestRowan.start(data, Map.of(), BUILTIN)) {
            assertNull(again.setupLink(), "the same installation: no new setup");
            HttpResponse<String> login = again.post("/api/v1/auth/login", "{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}");
            assertEquals(200, login.statusCode(), login.body());
            JsonNode databases = json(again.get("/api/v1/databases", "Cookie", "rowan_session=" + TestRowan.sessionCookie(login)));
            assertEquals(1, databases.size(), databases.toString());
            assertEquals("Shop", databases.get(0).get("name").asText());
            assertEquals("ready", databases.get(0).get("status").asText(), databases.toString());
            assertEquals(superuserPassword, Files.readString(data.resolve("postgres.password")).strip(), "the password is kept");
        }
    }

    @Test
    void aDatabaseUrlWinsAndTheBuiltInServerIsNotStarted() {
        Path data = tmp.resolve("data");
        String url = TestPostgres.newDatabase();
        try (TestRowan rowan = TestRowan.start(data, Map.of(), Map.of("ROWAN_DATABASE_DEFAULT", "builtin", "ROWAN_DATABASE_URL", url))) {
            assertTrue(rowan.console().contains("Internal database: PostgreSQL postgres@localhost"), rowan.console());
            assertEquals(200, rowan.get("/health/ready").statusCode());
            assertFalse(Files.exists(data.resolve("postgres")), "no built-in server was set up");
            assertFalse(Files.exists(data.resolve("postgres.password")));
        }
    }

    @Test
    void anUnknownDefaultStopsStartupNamingTheChoices() {
        ConfigException e = assertThrows(ConfigException.class, () -> TestRowan.settings(tmp, Map.of(), Map.of("ROWAN_DATABASE_DEFAULT", "mysql")));
        assertTrue(e.getMessage().contains("database.default (from environment variable ROWAN_DATABASE_DEFAULT)"), e.getMessage());
        assertTrue(e.getMessage().contains("one of sqlite, builtin"), e.getMessage());
    }

    @Test
    void anInstallationOnSqliteRefusesTheBuiltInDefaultAndSaysHowToGoBack() {
        Path data = tmp.resolve("data");
        try (TestRowan rowan = TestRowan.start(data)) {
            assertEquals(200, rowan.get("/health/ready").statusCode());
        }
        UserFacingException e = assertThrows(UserFacingException.class, () -> TestRowan.start(data, Map.of(), BUILTIN));
        assertEquals("This Rowan installation (data directory " + data + ") was used with the internal database SQLite " + data.resolve("rowan.db")
                + ", but the configured internal database built-in PostgreSQL in " + data.resolve("postgres") + " (database.url unset, and "
                + "database.default = builtin from environment variable ROWAN_DATABASE_DEFAULT) is empty. Rowan will not start as if freshly "
                + "installed. Nothing was changed. If the change was a mistake, unset database.url and set database.default to sqlite "
                + "(ROWAN_DATABASE_DEFAULT=sqlite). To start over on purpose with the configured database, delete "
                + data.resolve("installation.properties") + " and start Rowan again (a new administrator will be set up).", e.getMessage());
        assertFalse(Files.exists(data.resolve("postgres")), "nothing was created");
        assertFalse(Files.exists(data.resolve("postgres.password")));
    }

    @Test
    void anInstallationOnTheBuiltInServerRefusesSqliteADatabaseUrlAndAMissingServerPasswordBeforeCreatingAnything() throws SQLException, IOException {
        Path data = tmp.resolve("data");
        try (TestRowan rowan = TestRowan.start(data, Map.of(), BUILTIN)) {
            assertEquals(200, rowan.get("/health/ready").statusCode());
        }
        UserFacingException sqlite = assertThrows(UserFacingException.class, () -> TestRowan.start(data));
        assertTrue(sqlite.getMessage().contains("was used with the internal database built-in PostgreSQL in " + data.resolve("postgres")
                + ", but the configured internal database SQLite " + data.resolve("rowan.db") + " (database.url unset, and database.default = sqlite "
                + "from default) is empty."), sqlite.getMessage());
        assertTrue(sqlite.getMessage().contains("set database.default to builtin (ROWAN_DATABASE_DEFAULT=builtin)"), sqlite.getMessage());
        assertFalse(Files.exists(data.resolve("rowan.db")), "no empty SQLite file was left behind");

        String url = TestPostgres.newDatabase();
        UserFacingException external = assertThrows(UserFacingException.class,
                () -> TestRowan.start(data, Map.of(), Map.of("ROWAN_DATABASE_DEFAULT", "builtin", "ROWAN_DATABASE_URL", url)));
        assertTrue(external.getMessage().contains("(database.url from environment variable ROWAN_DATABASE_URL) is empty"), external.getMessage());
        try (Connection c = TestPostgres.connect(TestPostgres.databaseName(url)); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "nothing was created in the external database");
        }

        Files.delete(data.resolve("postgres.password"));
        UserFacingException noPassword = assertThrows(UserFacingException.class, () -> TestRowan.start(data, Map.of(), BUILTIN));
        assertEquals("The built-in PostgreSQL server in " + data.resolve("postgres") + " was set up with the password kept in "
                + data.resolve("postgres.password") + ", which is missing or empty. Restore that file from a backup of the data directory.",
                noPassword.getMessage());
    }

    private static List<String> query(int port, String password, String database, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/" + database, "postgres", password);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) rows.add(rs.getString(1));
        }
        return rows;
    }
}
