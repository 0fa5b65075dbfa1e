package dev.rowan.userdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rowan.postgres.Identifiers;
import dev.rowan.postgres.PostgresErrors;
import dev.rowan.testing.FreePort;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every failure is produced for real, on loopback only: a port with nothing listening, a name from
 * the reserved .invalid domain (resolved from the test hosts file, never DNS), sockets that never
 * answer, and a PostgreSQL server of this test's own whose pg_hba.conf asks for passwords.
 */
class PreflightTest {
    private static final String PASSWORD = "Tr0ub4dor&3-preflight";
    private static final String WRONG_PASSWORD = "N0t-the-right-0ne!";
    private static final String NO_CREATE_ROLE = "al\"ice";
    private static final String NO_CREATE_DB = "sales \"Q1\"";

    private static EmbeddedPostgres server;
    private static int port;

    private final Preflight preflight = new Preflight(5, () -> false);
    private final Preflight quick = new Preflight(1, () -> false);

    @BeforeAll
    static void startServer() throws Exception {
        server = EmbeddedPostgres.builder().start();
        port = server.getPort();
        try (Connection c = admin("postgres"); Statement s = c.createStatement()) {
            // Roles in rowan_pw sign in with a password; any other role but the superuser matches no line at all.
            s.execute("CREATE ROLE rowan_pw NOLOGIN");
            String member = " LOGIN PASSWORD '" + PASSWORD + "' IN ROLE rowan_pw";
            s.execute("CREATE ROLE alice_ok" + member);
            s.execute("CREATE ROLE bob_creator CREATEDB" + member);
            s.execute("CREATE ROLE carol_plain" + member);
            s.execute("CREATE ROLE " + Identifiers.quote(NO_CREATE_ROLE) + member);
            s.execute("CREATE ROLE dave_nologin NOLOGIN PASSWORD '" + PASSWORD + "' IN ROLE rowan_pw");
            s.execute("CREATE ROLE stranger LOGIN PASSWORD '" + PASSWORD + "'");
            s.execute("CREATE DATABASE rowan_ok OWNER alice_ok");
            s.execute("CREATE DATABASE " + Identifiers.quote(NO_CREATE_DB));
            ResultSet rs = s.executeQuery("SELECT current_setting('hba_file')");
            rs.next();
            Path hba = Path.of(rs.getString(1));
            // Replaces the file initdb wrote (trust for everyone): a "no entry" answer needs a role no line matches.
            Files.writeString(hba, String.join("\n",
                    "host  all  +rowan_pw  127.0.0.1/32  scram-sha-256",
                    "host  all  +rowan_pw  ::1/128       scram-sha-256",
                    "local all  postgres                 trust",
                    "host  all  postgres   127.0.0.1/32  trust",
                    "host  all  postgres   ::1/128       trust",
                    ""));
            s.execute("SELECT pg_reload_conf()");
        }
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (server != null) server.close();
    }

    @Test
    void happyPathReportsTheServerVersionAndPassesEveryCheck() throws SQLException {
        PreflightResult r = preflight.run(spec("localhost", port, "rowan_ok", "alice_ok", PASSWORD, null));

        assertTrue(r.ok(), r::toString);
        assertEquals(Preflight.versionText(serverVersionNum()), r.serverVersion());
        assertTrue(r.serverVersion().matches("1[5-8]\\.\\d+"), r.serverVersion());
        assertNull(r.code());
        assertNull(r.detail());
        assertEquals(List.of("host_resolves", "server_answers", "signed_in", "database_exists", "may_create_schemas", "version_supported"),
                r.checks().stream().map(PreflightCheck::id).toList());
        assertTrue(r.checks().stream().allMatch(c -> c.status() == PreflightCheck.Status.PASSED), r::toString);
        assertEquals("may create schemas", r.checks().get(4).label());
        assertNoSecret(r, PASSWORD);
    }

    @Test
    void unresolvableHostIsUnreachableAndSaysTheNameDoesNotResolve() {
        assumeHostsFileOnly();
        PreflightResult r = preflight.run(spec("no-such-host.invalid", 5432, "sales", "alice", PASSWORD, null));

        assertFailure(r, PreflightCode.UNREACHABLE, "host_resolves");
        assertTrue(r.detail().contains("\"no-such-host.invalid\" does not resolve"), r.detail());
        assertEquals(List.of(PreflightCheck.Status.FAILED, PreflightCheck.Status.SKIPPED, PreflightCheck.Status.SKIPPED,
                        PreflightCheck.Status.SKIPPED, PreflightCheck.Status.SKIPPED, PreflightCheck.Status.SKIPPED),
                r.checks().stream().map(PreflightCheck::status).toList());
        assertNoSecret(r, PASSWORD);
    }

    @Test
    void refusedConnectionIsUnreachableAndAsksWhetherPostgresListensThere() {
        int free = FreePort.find();
        PreflightResult r = quick.run(spec("127.0.0.1", free, "sales", "alice", PASSWORD, null));

        assertFailure(r, PreflightCode.UNREACHABLE, "server_answers");
        assertTrue(r.detail().contains("127.0.0.1:" + free) && r.detail().contains("refused"), r.detail());
        assertTrue(r.detail().contains("listen_addresses"), r.detail());
        assertEquals(PreflightCheck.Status.PASSED, check(r, "host_resolves").status());
        assertNoSecret(r, PASSWORD);
    }

    @Test
    void connectTimeoutIsUnreachableAndBlamesFirewallOrHostDown() throws IOException {
        // Backlog 1 and two unaccepted connections fill the accept queue: Linux then drops further SYNs,
        // exactly like a firewall that swallows packets, and the client's connect times out.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> filling = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(full.getLocalSocketAddress(), 300);
                        filling.add(s);
                    } catch (IOException queueFull) {
                        s.close();
                        break;
                    }
                }
                long start = System.nanoTime();
                PreflightResult r = quick.run(spec("127.0.0.1", full.getLocalPort(), "sales", "alice", PASSWORD, null));
                long millis = (System.nanoTime() - start) / 1_000_000;

                assertFailure(r, PreflightCode.UNREACHABLE, "server_answers");
                assertTrue(r.detail().contains("127.0.0.1:" + full.getLocalPort()) && r.detail().contains("timed out after 1 s"), r.detail());
                assertTrue(r.detail().contains("firewall") && r.detail().contains("host is down"), r.detail());
                assertTrue(millis < 4000, "took " + millis + " ms");
                assertNoSecret(r, PASSWORD);
            } finally {
                for (Socket s : filling) s.close();
            }
        }
    }

    @Test
    void serverThatAcceptsButNeverSpeaksPostgresTimesOutAsUnreachable() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) held.add(silent.accept());
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long start = System.nanoTime();
            PreflightResult r = quick.run(spec("127.0.0.1", silent.getLocalPort(), "sales", "alice", PASSWORD, null));
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertFailure(r, PreflightCode.UNREACHABLE, "server_answers");
            assertTrue(r.detail().contains("127.0.0.1:" + silent.getLocalPort())
                    && r.detail().contains("did not answer like PostgreSQL within 1 s"), r.detail());
            assertTrue(millis < 5000, "took " + millis + " ms");
            assertNoSecret(r, PASSWORD);
            silent.close();
            acceptor.join(2000);
            for (Socket s : held) s.close();
        }
    }

    @Test
    void wrongPasswordIsAuthFailed() {
        PreflightResult r = preflight.run(spec("127.0.0.1", port, "rowan_ok", "carol_plain", WRONG_PASSWORD, null));

        assertFailure(r, PreflightCode.AUTH_FAILED, "signed_in");
        assertTrue(r.detail().contains("Password authentication failed for user \"carol_plain\" on 127.0.0.1:" + port), r.detail());
        assertEquals(PreflightCheck.Status.PASSED, check(r, "server_answers").status());
        assertNoSecret(r, WRONG_PASSWORD);
        assertNoSecret(r, PASSWORD);
    }

    @Test
    void missingPasswordIsAuthFailed() {
        PreflightResult r = preflight.run(spec("127.0.0.1", port, "rowan_ok", "carol_plain", null, null));

        assertFailure(r, PreflightCode.AUTH_FAILED, "signed_in");
        assertTrue(r.detail().contains("asks user \"carol_plain\" for a password"), r.detail());
    }

    @Test
    void noPgHbaEntryIsAuthFailedInThoseWordsWithTheLineToAdd() {
        PreflightResult r = preflight.run(spec("127.0.0.1", port, "rowan_ok", "stranger", PASSWORD, null));

        assertFailure(r, PreflightCode.AUTH_FAILED, "signed_in");
        assertTrue(r.detail().contains("has no pg_hba.conf entry for user \"stranger\" and database \"rowan_ok\""), r.detail());
        assertTrue(r.detail().contains("127.0.0.1:" + port), r.detail());
        assertTrue(r.hint().contains("host  rowan_ok  stranger  127.0.0.1/32  scram-sha-256"), r.hint());
        assertNoSecret(r, PASSWORD);
    }

    @Test
    void roleWithoutLoginIsAuthFailed() {
        PreflightResult r = preflight.run(spec("127.0.0.1", port, "rowan_ok", "dave_nologin", PASSWORD, null));

        assertFailure(r, PreflightCode.AUTH_FAILED, "signed_in");
        assertTrue(r.detail().contains("Role \"dave_nologin\" exists on 127.0.0.1:" + port + " but may not log in"), r.detail());
        assertTrue(r.hint().contains("ALTER ROLE \"dave_nologin\" LOGIN;"), r.hint());
        assertNoSecret(r, PASSWORD);
    }

    @Test
    void missingDatabaseWhenTheRoleMayCreateIt() throws SQLException {
        String db = "bobs_new_db";
        PreflightResult r = preflight.run(spec("127.0.0.1", port, db, "bob_creator", PASSWORD, null));

        assertFailure(r, PreflightCode.DATABASE_MISSING, "database_exists");
        assertTrue(r.canCreateDatabase(), r::toString);
        assertTrue(r.detail().contains("\"" + db + "\" does not exist on 127.0.0.1:" + port), r.detail());
        assertTrue(r.detail().contains("Role \"bob_creator\" may create databases."), r.detail());
        assertEquals(PreflightCheck.Status.PASSED, check(r, "signed_in").status());
        assertTrue(r.hint().contains("CREATE DATABASE \"" + db + "\";"), r.hint());
        assertNoSecret(r, PASSWORD);

        // The statement in the hint works when bob runs it, and then the database passes.
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "bob_creator", PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE \"" + db + "\"");
        }
        assertTrue(preflight.run(spec("127.0.0.1", port, db, "bob_creator", PASSWORD, null)).ok());
    }

    @Test
    void missingDatabaseWhenTheRoleMayNotCreateIt() {
        PreflightResult r = preflight.run(spec("127.0.0.1", port, "carols_db", "carol_plain", PASSWORD, null));

        assertFailure(r, PreflightCode.DATABASE_MISSING, "database_exists");
        assertFalse(r.canCreateDatabase());
        assertTrue(r.detail().contains("\"carols_db\" does not exist on 127.0.0.1:" + port), r.detail());
        assertTrue(r.detail().contains("Role \"carol_plain\" may not create databases."), r.detail());
        assertTrue(r.hint().contains("CREATE DATABASE \"carols_db\" OWNER \"carol_plain\";"), r.hint());
        assertNoSecret(r, PASSWORD);
    }

    @Test
    void missingDatabaseNamesOneThatDiffersOnlyInCase() {
        PreflightResult r = preflight.run(spec("127.0.0.1", port, "Rowan_OK", "carol_plain", PASSWORD, null));

        assertFailure(r, PreflightCode.DATABASE_MISSING, "database_exists");
        assertTrue(r.hint().startsWith("Did you mean \"rowan_ok\"?"), r.hint());
    }

    @Test
    void roleWithoutCreateOnTheDatabaseGetsTheExactGrant() throws SQLException {
        PreflightResult r = preflight.run(spec("127.0.0.1", port, NO_CREATE_DB, NO_CREATE_ROLE, PASSWORD, null));

        assertFailure(r, PreflightCode.INSUFFICIENT_PRIVILEGE, "may_create_schemas");
        assertTrue(r.detail().contains("Role \"al\"ice\" signed in to database \"sales \"Q1\"\" on 127.0.0.1:" + port), r.detail());
        assertTrue(r.detail().contains("must be the database owner, a superuser, or hold CREATE"), r.detail());
        String grant = "GRANT CREATE ON DATABASE \"sales \"\"Q1\"\"\" TO \"al\"\"ice\";";
        assertTrue(r.hint().endsWith(grant), r.hint());
        assertTrue(r.hint().contains("(role \"postgres\")"), r.hint());
        assertEquals(PreflightCheck.Status.PASSED, check(r, "version_supported").status());
        assertNotNull(r.serverVersion());
        assertNoSecret(r, PASSWORD);

        // The GRANT from the hint, run verbatim by the owner, is the whole fix.
        try (Connection c = admin("postgres"); Statement s = c.createStatement()) {
            s.execute(grant);
        }
        assertTrue(preflight.run(spec("127.0.0.1", port, NO_CREATE_DB, NO_CREATE_ROLE, PASSWORD, null)).ok());
    }

    @Test
    void sslRequiredAgainstAServerWithoutSslIsSslError() {
        PreflightResult r = preflight.run(spec("127.0.0.1", port, "rowan_ok", "alice_ok", PASSWORD, "require"));

        assertFailure(r, PreflightCode.SSL_ERROR, "signed_in");
        assertTrue(r.detail().contains("127.0.0.1:" + port + " does not offer SSL, but sslmode=require requires it"), r.detail());
        assertEquals(PreflightCheck.Status.PASSED, check(r, "server_answers").status());
        assertNoSecret(r, PASSWORD);
    }

    @Test
    void versionRuleAcceptsFifteenToEighteen() {
        assertFalse(Preflight.isSupportedVersion(140013));
        assertTrue(Preflight.isSupportedVersion(150000));
        assertTrue(Preflight.isSupportedVersion(170011));
        assertTrue(Preflight.isSupportedVersion(180006));
        assertFalse(Preflight.isSupportedVersion(190000));
        assertFalse(Preflight.isSupportedVersion(90624));
        assertEquals("17.11", Preflight.versionText(170011));
        assertEquals("18.0", Preflight.versionText(180000));
        assertEquals("9.6.24", Preflight.versionText(90624));
    }

    @Test
    void localhostInAContainerGetsTheContainerHint() {
        int free = FreePort.find();
        Preflight inContainer = new Preflight(1, () -> true);
        for (String host : List.of("localhost", "127.0.0.1", "::1")) {
            PreflightResult r = inContainer.run(spec(host, free, "sales", "alice", PASSWORD, null));
            assertEquals(PreflightCode.UNREACHABLE, r.code(), r::toString);
            assertTrue(r.hint().contains("is the container itself") && r.hint().contains("host.docker.internal")
                    && r.hint().contains("docs/connecting-to-localhost.md"), r.hint());
            assertNoSecret(r, PASSWORD);
        }
        // Signed in to a server on localhost: a wrong password there may well be the container's own server.
        PreflightResult wrongPassword = inContainer.run(spec("localhost", port, "rowan_ok", "carol_plain", WRONG_PASSWORD, null));
        assertEquals(PreflightCode.AUTH_FAILED, wrongPassword.code());
        assertTrue(wrongPassword.hint().contains("host.docker.internal"), wrongPassword.hint());
    }

    @Test
    void noContainerHintOutsideAContainerOrForOtherHosts() throws SQLException {
        int free = FreePort.find();
        PreflightResult outside = quick.run(spec("localhost", free, "sales", "alice", PASSWORD, null));
        assertEquals(PreflightCode.UNREACHABLE, outside.code());
        assertFalse(outside.hint().contains("host.docker.internal"), outside.hint());

        Preflight inContainer = new Preflight(1, () -> true);
        // Connected fine, just short of a privilege: localhost was the right place, so no container talk.
        try (Connection c = admin("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE carol_cannot_create");
        }
        PreflightResult privilege = inContainer.run(spec("localhost", port, "carol_cannot_create", "carol_plain", PASSWORD, null));
        assertEquals(PreflightCode.INSUFFICIENT_PRIVILEGE, privilege.code());
        assertFalse(privilege.hint().contains("host.docker.internal"), privilege.hint());

        assumeHostsFileOnly();
        PreflightResult otherHost = inContainer.run(spec("no-such-host.invalid", 5432, "sales", "alice", PASSWORD, null));
        assertEquals(PreflightCode.UNREACHABLE, otherHost.code());
        assertFalse(otherHost.hint().contains("host.docker.internal"), otherHost.hint());
    }

    @Test
    void containerDetectionReadsTheMarkersEnginesLeave(@TempDir Path root) throws IOException {
        assertFalse(ContainerDetection.inContainer(root, Map.of()));
        Files.createDirectories(root.resolve("proc/1"));
        Files.writeString(root.resolve("proc/1/cgroup"), "0::/\n");
        assertFalse(ContainerDetection.inContainer(root, Map.of()));
        Files.writeString(root.resolve("proc/1/cgroup"), "12:pids:/docker/3f1c0e\n0::/system.slice/docker-3f1c0e.scope\n");
        assertTrue(ContainerDetection.inContainer(root, Map.of()));
        Files.writeString(root.resolve("proc/1/cgroup"), "0::/\n");
        assertTrue(ContainerDetection.inContainer(root, Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1")));
        assertTrue(ContainerDetection.inContainer(root, Map.of("container", "podman")));
        Files.createDirectories(root.resolve("run"));
        Files.createFile(root.resolve("run/.containerenv"));
        assertTrue(ContainerDetection.inContainer(root, Map.of()));
        Files.delete(root.resolve("run/.containerenv"));
        Files.createFile(root.resolve(".dockerenv"));
        assertTrue(ContainerDetection.inContainer(root, Map.of()));
    }

    @Test
    void loopbackNames() {
        for (String h : List.of("localhost", "LOCALHOST", "localhost.", "127.0.0.1", "127.1.2.3", "::1", "[::1]", "0:0:0:0:0:0:0:1")) {
            assertTrue(Preflight.isLoopback(h), h);
        }
        for (String h : List.of("db.example.com", "10.0.0.1", "::2", "localhost.example.com", "1127.0.0.1")) {
            assertFalse(Preflight.isLoopback(h), h);
        }
    }

    @Test
    void anyTraceOfThePasswordInQuotedMessagesIsMasked() {
        ConnectionSpec spec = spec("db.example.com", 5432, "sales", "alice", "hunter2-very-secret", null);
        PreflightResult leaky = new PreflightResult(false, null, PreflightCode.AUTH_FAILED, "t",
                "the server said: bad value hunter2-very-secret", "hint hunter2-very-secret", false,
                List.of(new PreflightCheck("signed_in", "signed in", PreflightCheck.Status.FAILED, "x hunter2-very-secret")));
        PreflightResult masked = Preflight.redact(leaky, spec);
        assertNoSecret(masked, "hunter2-very-secret");
        assertEquals("the server said: bad value ********", masked.detail());
        assertTrue(spec.toString().contains("alice@db.example.com:5432/sales") && !spec.toString().contains("hunter2"));
    }

    // ---------------------------------------------------------------------------------------------

    private static ConnectionSpec spec(String host, int port, String db, String user, String password, String sslMode) {
        return new ConnectionSpec(host, port, db, user, password, sslMode);
    }

    private static Connection admin(String db) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + server.getPort() + "/" + db, "postgres", "");
    }

    private static int serverVersionNum() throws SQLException {
        try (Connection c = admin("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The lookup of a .invalid name must stay on this machine: only with the test hosts file does it. */
    private static void assumeHostsFileOnly() {
        assumeTrue(System.getProperty("jdk.net.hosts.file") != null,
                "run through Maven (surefire sets jdk.net.hosts.file) so the lookup never reaches a DNS server");
    }

    private static PreflightCheck check(PreflightResult r, String id) {
        return r.checks().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    /** The code, a title, detail and hint, and the failed check being the one expected with all later ones skipped. */
    private static void assertFailure(PreflightResult r, PreflightCode code, String failedCheck) {
        assertFalse(r.ok(), r::toString);
        assertEquals(code, r.code(), r::toString);
        assertNotNull(r.title(), r::toString);
        assertNotNull(r.detail(), r::toString);
        assertNotNull(r.hint(), r::toString);
        assertEquals(PreflightCheck.Status.FAILED, check(r, failedCheck).status(), r::toString);
        assertNotNull(check(r, failedCheck).detail());
        boolean before = true;
        for (PreflightCheck c : r.checks()) {
            if (c.id().equals(failedCheck)) {
                before = false;
            } else if (before) {
                assertEquals(PreflightCheck.Status.PASSED, c.status(), () -> c.id() + " in " + r);
            }
        }
    }

    private static void assertNoSecret(PreflightResult r, String secret) {
        String everything = r + " " + r.checks().stream().map(c -> c.label() + " " + c.detail()).collect(Collectors.joining(" "))
                + " " + r.title() + " " + r.detail() + " " + r.hint();
        assertFalse(everything.contains(secret), everything);
    }
}
