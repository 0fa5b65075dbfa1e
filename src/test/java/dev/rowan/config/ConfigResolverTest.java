package dev.rowan.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigResolverTest {
    @TempDir
    Path tmp;

    private Settings resolve(Map<String, String> env, Map<String, String> flags) {
        Map<Option<?>, String> given = new HashMap<>();
        flags.forEach((k, v) -> given.put(Options.byKey(k).orElseThrow(), v));
        Map<String, String> e = new HashMap<>(env);
        e.putIfAbsent("ROWAN_DATA_DIR", tmp.resolve("data").toString());
        return new ConfigResolver(e, given).resolve();
    }

    private void ownFile(String text) throws IOException {
        Files.createDirectories(tmp.resolve("data"));
        Files.writeString(tmp.resolve("data/rowan.conf"), text);
    }

    @Test
    void defaultsApplyWhenNothingIsConfigured() {
        Settings s = new ConfigResolver(Map.of("XDG_DATA_HOME", tmp.toString()), Map.of()).resolve();
        assertEquals(8000, s.get(Options.HTTP_PORT));
        assertEquals(Source.Kind.DEFAULT, s.source(Options.HTTP_PORT).kind());
        assertEquals(tmp.resolve("rowan"), s.dataDir());
        assertEquals(List.of("localhost", "127.0.0.1", "[::1]"), s.get(Options.ALLOWED_HOSTS));
        assertTrue(s.find(Options.SECRET_KEY).isEmpty());
        assertTrue(s.find(Options.DATABASE_URL).isEmpty());
        assertEquals(Duration.ofDays(14), s.get(Options.SESSION_LIFETIME));
    }

    @Test
    void dataDirectoryDefaultsToLocalShareWithoutXdg() {
        Settings s = new ConfigResolver(Map.of(), Map.of()).resolve();
        assertEquals(Path.of(System.getProperty("user.home"), ".local/share/rowan"), s.dataDir());
    }

    @Test
    void flagBeatsEnvironmentBeatsConfigFileBeatsDefault() throws IOException {
        ownFile("http.port = 9001\nlog.level = debug\nsession.lifetime = 2h\n");
        Path extra = tmp.resolve("extra.conf");
        Files.writeString(extra, "log.level = warn\nsession.lifetime = 3h\n");
        Settings s = resolve(Map.of("ROWAN_HTTP_PORT", "9002", "ROWAN_LOG_LEVEL", "error", "ROWAN_CONFIG_FILE", extra.toString()),
                Map.of("http.port", "9003"));
        assertEquals(9003, s.get(Options.HTTP_PORT));
        assertEquals(new Source(Source.Kind.FLAG, "--http-port"), s.source(Options.HTTP_PORT));
        assertEquals("error", s.get(Options.LOG_LEVEL));
        assertEquals(Source.Kind.ENV, s.source(Options.LOG_LEVEL).kind());
        assertEquals(Duration.ofHours(3), s.get(Options.SESSION_LIFETIME));
        assertEquals(extra + ", line 2", s.source(Options.SESSION_LIFETIME).where());

        Settings fileOnly = resolve(Map.of(), Map.of());
        assertEquals(9001, fileOnly.get(Options.HTTP_PORT));
        assertEquals(tmp.resolve("data/rowan.conf") + ", line 1", fileOnly.source(Options.HTTP_PORT).where());
    }

    @Test
    void platformPortIsHonouredButRowansOwnVariableWins() {
        assertEquals(5000, resolve(Map.of("PORT", "5000"), Map.of()).get(Options.HTTP_PORT));
        assertEquals(new Source(Source.Kind.PLATFORM_ENV, "PORT"), resolve(Map.of("PORT", "5000"), Map.of()).source(Options.HTTP_PORT));
        assertEquals(6000, resolve(Map.of("PORT", "5000", "ROWAN_HTTP_PORT", "6000"), Map.of()).get(Options.HTTP_PORT));
    }

    @Test
    void databaseUrlFromThePlatformVariableIsParsed() {
        Settings s = resolve(Map.of("DATABASE_URL", "postgres://app:s%40cret@db.example.com:6543/rowan?sslmode=require"), Map.of());
        DatabaseUrl url = s.get(Options.DATABASE_URL);
        assertEquals("db.example.com", url.host());
        assertEquals(6543, url.port());
        assertEquals("rowan", url.database());
        assertEquals("app", url.user());
        assertEquals("s@cret", url.password());
        assertEquals("require", url.parameters().get("sslmode"));
        assertEquals("postgres://app:********@db.example.com:6543/rowan?sslmode=require", s.setting(Options.DATABASE_URL).displayText());
    }

    @Test
    void secretsAreReadFromFilesNamedByFileVariables() throws IOException {
        Path secret = tmp.resolve("key");
        Files.writeString(secret, "0123456789abcdef0123456789abcdef-from-file\n");
        Settings s = resolve(Map.of("ROWAN_SECRET_KEY_FILE", secret.toString()), Map.of());
        assertEquals("0123456789abcdef0123456789abcdef-from-file", s.get(Options.SECRET_KEY));
        assertEquals(Source.Kind.ENV_FILE, s.source(Options.SECRET_KEY).kind());
        assertEquals("********", s.setting(Options.SECRET_KEY).displayText());
    }

    @Test
    void anUnreadableSecretFileNamesTheVariableAndPath() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> resolve(Map.of("ROWAN_SECRET_KEY_FILE", tmp.resolve("missing").toString()), Map.of()));
        assertTrue(e.getMessage().contains("ROWAN_SECRET_KEY_FILE"), e.getMessage());
        assertTrue(e.getMessage().contains(tmp.resolve("missing").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void settingBothAVariableAndItsFileVariableIsRefused() throws IOException {
        Path secret = tmp.resolve("key");
        Files.writeString(secret, "x".repeat(40));
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(
                Map.of("ROWAN_SECRET_KEY_FILE", secret.toString(), "ROWAN_SECRET_KEY", "y".repeat(40)), Map.of()));
        assertTrue(e.getMessage().contains("Set only one"), e.getMessage());
    }

    @Test
    void fileVariablesAreOnlyForSecrets() {
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(Map.of("ROWAN_HTTP_PORT_FILE", "/tmp/x"), Map.of()));
        assertTrue(e.getMessage().contains("only secret settings"), e.getMessage());
    }

    @Test
    void aWrongTypeNamesTheOptionSourceValueAndWhatIsValid() {
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(Map.of("ROWAN_HTTP_PORT", "eighty"), Map.of()));
        assertEquals("Configuration error: http.port (from environment variable ROWAN_HTTP_PORT) is \"eighty\", which is not valid: "
                + "expected a port number from 1 to 65535. Change it where it is set, or remove it to use the default (8000).", e.getMessage());
    }

    @Test
    void aBadSecretIsMaskedInTheErrorMessage() {
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(Map.of(), Map.of("secret.key", "tooShortSecret")));
        assertFalse(e.getMessage().contains("tooShortSecret"), e.getMessage());
        assertTrue(e.getMessage().contains("secret.key (from command-line flag --secret-key)"), e.getMessage());
        assertTrue(e.getMessage().contains("at least 32 characters"), e.getMessage());
    }

    @Test
    void aMalformedDatabaseUrlIsExplainedWithoutThePassword() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> resolve(Map.of("ROWAN_DATABASE_URL", "mysql://root:hunter2@localhost/db"), Map.of()));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertTrue(e.getMessage().contains("postgres://"), e.getMessage());
        assertTrue(e.getMessage().contains("ROWAN_DATABASE_URL"), e.getMessage());
    }

    @Test
    void anUnknownKeyInTheConfigFileNamesFileLineAndSuggestsTheClosestKey() throws IOException {
        ownFile("# comment\n\nhttp.prot = 9000\n");
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(Map.of(), Map.of()));
        assertTrue(e.getMessage().contains(tmp.resolve("data/rowan.conf") + " sets \"http.prot\" on line 3"), e.getMessage());
        assertTrue(e.getMessage().contains("Did you mean \"http.port\"?"), e.getMessage());
    }

    @Test
    void aLineThatIsNotKeyEqualsValueIsRefused() throws IOException {
        ownFile("http.port 9000\n");
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
        assertTrue(e.getMessage().contains("key = value"), e.getMessage());
    }

    @Test
    void theDataDirectoryCannotBeSetInsideItsOwnConfigFile() throws IOException {
        ownFile("data.dir = /elsewhere\n");
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("--data-dir or ROWAN_DATA_DIR"), e.getMessage());
    }

    @Test
    void theExtraConfigFileCanSetTheDataDirectory() throws IOException {
        Path extra = tmp.resolve("etc.conf");
        Files.writeString(extra, "data.dir = " + tmp.resolve("var") + "\n");
        Settings s = new ConfigResolver(Map.of("ROWAN_CONFIG_FILE", extra.toString()), Map.of()).resolve();
        assertEquals(tmp.resolve("var"), s.dataDir());
    }

    @Test
    void aMissingExtraConfigFileIsAnError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> resolve(Map.of("ROWAN_CONFIG_FILE", tmp.resolve("nope.conf").toString()), Map.of()));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void anAdminUserNameWithoutAPasswordIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(Map.of("ROWAN_ADMIN_USERNAME", "admin"), Map.of()));
        assertTrue(e.getMessage().contains("ROWAN_ADMIN_PASSWORD"), e.getMessage());
    }

    @Test
    void hostListsAndProxyRangesAreValidated() {
        assertEquals(List.of("rowan.example.org", ".example.com", "[::1]"),
                resolve(Map.of("ROWAN_ALLOWED_HOSTS", "Rowan.example.org, .example.com,[::1]"), Map.of()).get(Options.ALLOWED_HOSTS));
        assertThrows(ConfigException.class, () -> resolve(Map.of("ROWAN_ALLOWED_HOSTS", "http://x.org"), Map.of()));
        assertThrows(ConfigException.class, () -> resolve(Map.of("ROWAN_TRUSTED_PROXIES", "10.0.0.0/33"), Map.of()));
        assertThrows(ConfigException.class, () -> resolve(Map.of("ROWAN_TRUSTED_PROXIES", "proxy.local"), Map.of()));
        assertThrows(ConfigException.class, () -> resolve(Map.of("ROWAN_PUBLIC_URL", "rowan.example.org"), Map.of()));
        assertThrows(ConfigException.class, () -> resolve(Map.of("ROWAN_SESSION_LIFETIME", "0d"), Map.of()));
    }

    @Test
    void ipRangesMatchAddressesInsideThemOnly() {
        IpRange v4 = IpRange.parse("10.1.0.0/16");
        assertTrue(v4.contains("10.1.200.3"));
        assertFalse(v4.contains("10.2.0.1"));
        assertTrue(v4.contains("::ffff:10.1.0.9"));
        IpRange v6 = IpRange.parse("fd00::/8");
        assertTrue(v6.contains("fd12::1"));
        assertFalse(v6.contains("fe80::1"));
        assertTrue(IpRange.parse("127.0.0.1").contains("127.0.0.1"));
        assertFalse(IpRange.parse("127.0.0.1").contains("not-an-address"));
    }
}
