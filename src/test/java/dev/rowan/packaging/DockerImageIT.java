package dev.rowan.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rowan.packaging.ProcessOutput.Result;
import dev.rowan.secret.SecretKeys;
import dev.rowan.testing.FreePort;
import dev.rowan.testing.TestPostgres;
import dev.rowan.testing.TestRowan;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker channel as a person uses it: the image built from target/docker-context (which `mvn package`
 * made just before this test) and run with the commands of docs/install/docker.md — install, setup, the
 * commands, update, backup and restore, uninstall — plus how Kubernetes runs it (any user id, read-only
 * root) and with an external internal database. Podman runs the commands in Docker's place; each page
 * command goes through {@link #translate} only to use podman, names of this test's own, and a free port
 * on 127.0.0.1 instead of 8000 (and, for the external database, the test's PostgreSQL as the URL).
 * Measured here: base image about 50 s (once per machine), image build 20-30 s, the tests about 70 s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerImageIT {
    private static final Path PROJECT = Path.of(System.getProperty("rowan.projectDir", "."));
    private static final String VERSION = System.getProperty("rowan.version");
    /** The version the page's update section builds: any later one. */
    private static final String NEXT = Channels.nextMinor(VERSION);
    private static final Path CONTEXT = PROJECT.resolve("target/docker-context");
    private static final Path WORK = PROJECT.resolve("target/docker-it");
    private static final Path PAGE = PROJECT.resolve("docs/install/docker.md");
    /** The Dockerfile's FROM, which the test provides (no registry here). */
    private static final String BASE = Podman.DEBIAN_BASE;
    private static final String DATA = "/var/lib/rowan";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String PASSWORD = "correct horse battery";
    private static final String NEW_PASSWORD = "a new long passphrase";

    // The commands of docs/install/docker.md, as the page shows them (continued lines joined).
    private static final String BUILD = "docker build -t rowan:" + VERSION + " target/docker-context";
    private static final String RUN = "docker run -d --name rowan -p 8000:8000 -v rowan-data:/var/lib/rowan rowan:" + VERSION;
    private static final String LOGS = "docker logs rowan";
    private static final String KEY = "head -c 32 /dev/urandom | base64 > rowan-secret-key";
    private static final String KEY_OWNER = "chown 10001 rowan-secret-key";
    private static final String KEY_MODE = "chmod 0400 rowan-secret-key";
    private static final String RUN_CONFIGURED = "docker run -d --name rowan -p 8000:8000 -v rowan-data:/var/lib/rowan"
            + " -v \"$PWD/rowan-secret-key\":/run/secrets/rowan-secret-key:ro -e ROWAN_SECRET_KEY_FILE=/run/secrets/rowan-secret-key"
            + " -e 'ROWAN_DATABASE_URL=postgres://rowan:password@db.example.org:5432/rowan?sslmode=require' rowan:" + VERSION;
    private static final String CHECK = "docker exec rowan rowan check";
    private static final String CONFIG_SHOW = "docker exec rowan rowan config show";
    private static final String RESET_PASSWORD = "echo '" + NEW_PASSWORD + "' | docker exec -i rowan rowan admin reset-password --username admin";
    private static final String UPDATE_BUILD = "docker build -t rowan:" + NEXT + " target/docker-context";
    private static final String STOP = "docker stop rowan";
    private static final String RM = "docker rm rowan";
    private static final String UPDATE_RUN = "docker run -d --name rowan -p 8000:8000 -v rowan-data:/var/lib/rowan rowan:" + NEXT;
    private static final String BACKUP = "docker run --rm --user 0 --entrypoint tar -v rowan-data:/var/lib/rowan -v \"$PWD\":/backup rowan:"
            + VERSION + " -czf /backup/rowan-data.tar.gz -C /var/lib/rowan .";
    private static final String START = "docker start rowan";
    private static final String RESTORE = "docker run --rm --user 0 --entrypoint tar -v rowan-data:/var/lib/rowan -v \"$PWD\":/backup rowan:"
            + VERSION + " -xzf /backup/rowan-data.tar.gz -C /var/lib/rowan";
    private static final String UNINSTALL_CONTAINER = "docker rm -f rowan";
    private static final String UNINSTALL_VOLUME = "docker volume rm rowan-data";
    private static final String UNINSTALL_IMAGE = "docker rmi rowan:" + VERSION;

    /** Commands of the page this test does not run, and what stands in for them. */
    private static final Map<String, String> NOT_RUN = Map.of(
            "mvn -B -q package -DskipTests", "the build running this test made target/docker-context just before (failsafe runs after package)");

    /** Names of this run's containers, volumes and image, so that nothing of a person's own is touched. */
    private final String prefix = "rowan-it-" + ProcessHandle.current().pid();
    private final String image = "localhost/" + prefix;
    private Podman podman;

    @TempDir
    Path tmp;

    @BeforeAll
    void buildTheImage() throws IOException {
        assertTrue(Files.isRegularFile(CONTEXT.resolve("Dockerfile")), CONTEXT + " is missing: `mvn package` makes it");
        podman = Podman.require(WORK);
        long started = System.nanoTime();
        podman.ensureDebianBase(BASE, WORK);
        long based = System.nanoTime();
        Result build = podman.shell(PROJECT, Duration.ofMinutes(15), translate(BUILD, "-", "-", "-"));
        assertEquals(0, build.exit(), build.output());
        System.out.printf("DockerImageIT: base image %d s, image build %d s%n", (based - started) / 1_000_000_000,
                (System.nanoTime() - based) / 1_000_000_000);
    }

    /** Everything this run created goes, except the cached base image. */
    @AfterAll
    void removeWhatThisRunCreated() {
        if (podman == null) return;
        for (String container : podman.ok(WORK, "ps", "-a", "--filter", "name=^" + prefix, "--format", "{{.Names}}").strip().split("\n")) {
            if (!container.isBlank()) podman.run(WORK, Duration.ofMinutes(1), "rm", "-f", "-v", container);
        }
        for (String volume : podman.ok(WORK, "volume", "ls", "--filter", "name=^" + prefix, "--format", "{{.Name}}").strip().split("\n")) {
            if (!volume.isBlank()) podman.run(WORK, Duration.ofMinutes(1), "volume", "rm", "-f", volume);
        }
        for (String tag : List.of(VERSION, NEXT)) {
            podman.run(WORK, Duration.ofMinutes(1), "rmi", "-f", image + ":" + tag);
        }
    }

    @Test
    @Order(1)
    void theInstallPageShowsTheCommandsThisTestRuns() throws IOException {
        Channels.assertPageShowsExactly(PAGE, List.of(BUILD, RUN, LOGS, KEY, KEY_OWNER, KEY_MODE, RUN_CONFIGURED, CHECK, CONFIG_SHOW,
                RESET_PASSWORD, UPDATE_BUILD, STOP, RM, UPDATE_RUN, BACKUP, START, RESTORE, UNINSTALL_CONTAINER, UNINSTALL_VOLUME, UNINSTALL_IMAGE),
                NOT_RUN.keySet());
    }

    /** The context is this build's Java release (same jar, same launcher) with the Dockerfile and the healthcheck: small. */
    @Test
    @Order(2)
    void theContextHoldsThisBuildsJarAndLauncherAndNothingElse() throws IOException {
        List<String> files;
        try (Stream<Path> walk = Files.walk(CONTEXT)) {
            files = walk.filter(Files::isRegularFile).map(p -> CONTEXT.relativize(p).toString()).sorted().toList();
        }
        assertEquals(List.of("Dockerfile", "healthcheck", "rowan/bin/rowan", "rowan/lib/rowan.jar"), files);
        assertEquals(-1, Files.mismatch(PROJECT.resolve("target/rowan.jar"), CONTEXT.resolve("rowan/lib/rowan.jar")));
        assertEquals(-1, Files.mismatch(PROJECT.resolve("packaging/java/bin/rowan"), CONTEXT.resolve("rowan/bin/rowan")));
        assertEquals(Files.readString(PROJECT.resolve("packaging/docker/Dockerfile")).replace("@project.version@", VERSION),
                Files.readString(CONTEXT.resolve("Dockerfile")), "only the version is filled in");
        assertTrue(Files.readString(CONTEXT.resolve("Dockerfile")).contains("\nFROM " + BASE + "\n"), "the base this test provides");
        assertTrue(Files.isExecutable(CONTEXT.resolve("healthcheck")) && Files.isExecutable(CONTEXT.resolve("rowan/bin/rowan")));
    }

    @Test
    @Order(3)
    void theHealthcheckIsShellcheckClean() {
        Path shellcheck = Podman.onPath("shellcheck");
        assumeTrue(shellcheck != null, "shellcheck is not installed (apt-get install shellcheck)");
        Result r = podman.shell(PROJECT, Duration.ofMinutes(1), "shellcheck packaging/docker/healthcheck");
        assertEquals(0, r.exit(), r.output());
    }

    /** What `docker inspect` shows: non-root, one volume, port 8000, the built-in default, no port setting, a healthcheck, the version. */
    @Test
    @Order(4)
    void theImageRunsAsNonRootWithOneVolumeAHealthcheckAndTheBuiltInDefault() throws IOException {
        JsonNode inspected = JSON.readTree(podman.ok(WORK, "image", "inspect", image + ":" + VERSION)).get(0);
        JsonNode config = inspected.get("Config");
        assertEquals("10001:0", config.get("User").asText());
        assertEquals(List.of(DATA), names(config.get("Volumes")));
        assertEquals(List.of("8000/tcp"), names(config.get("ExposedPorts")));
        List<String> env = new ArrayList<>();
        config.get("Env").forEach(e -> env.add(e.asText()));
        assertTrue(env.contains("ROWAN_DATA_DIR=" + DATA), env.toString());
        assertTrue(env.contains("ROWAN_DATABASE_DEFAULT=builtin"), env.toString());
        assertTrue(env.contains("PATH=/opt/rowan/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), "`rowan` and `java` on the PATH: " + env);
        assertTrue(env.stream().noneMatch(e -> e.startsWith("ROWAN_HTTP_PORT=") || e.startsWith("PORT=")),
                "the port is left to Rowan's default and a platform's PORT: " + env);
        assertEquals("[\"/opt/rowan/bin/rowan\"]", config.get("Entrypoint").toString());
        assertEquals("[\"serve\"]", config.get("Cmd").toString());
        assertEquals(VERSION, config.get("Labels").get("org.opencontainers.image.version").asText());
        assertEquals("[\"CMD\",\"/usr/local/bin/rowan-healthcheck\"]", inspected.get("Healthcheck").get("Test").toString());
    }

    /** As Kubernetes or OpenShift may run it: an arbitrary user id with group 0, only /tmp and the volume writable. */
    @Test
    @Order(5)
    void anyUserIdWithGroupRootAndAReadOnlyRootFileSystem() {
        String container = prefix + "-anyuid";
        int port = FreePort.find();
        podman.ok(WORK, "run", "-d", "--name", container, "--user", "12345:0", "--read-only", "--read-only-tmpfs=false", "--tmpfs", "/tmp",
                "-p", "127.0.0.1:" + port + ":8000", image + ":" + VERSION);
        awaitReady(container, port);
        assertEquals("12345", podman.ok(WORK, "exec", container, "id", "-u").strip());
        assertTrue(podman.ok(WORK, "logs", container).contains("Internal database: built-in PostgreSQL in " + DATA + "/postgres"));
        assertEquals(0, podman.run(WORK, Duration.ofMinutes(1), "healthcheck", "run", container).exit(), "healthy");
        Result rootFs = podman.run(WORK, Duration.ofMinutes(1), "exec", container, "touch", "/opt/rowan/x");
        assertNotEquals(0, rootFs.exit(), "the root file system is read-only: " + rootFs.output());
        podman.ok(WORK, "rm", "-f", "-v", container);
    }

    /**
     * The page's "Before the first start": a secret key file and an external internal database, so the
     * built-in server never starts. The test's PostgreSQL listens on this machine's localhost only, which a
     * container reaches on the host's network; there the port is chosen with PORT, as a platform would.
     */
    @Test
    @Order(6)
    void aSecretKeyFileAndAnExternalDatabaseBeforeTheFirstStart() throws IOException {
        String container = prefix + "-configured";
        String volume = prefix + "-configured-data";
        for (String command : List.of(KEY, KEY_OWNER, KEY_MODE)) {
            Result r = podman.shell(tmp, Duration.ofMinutes(1), command);
            assertEquals(0, r.exit(), command + ": " + r.output());
        }
        String key = Files.readString(tmp.resolve("rowan-secret-key")).strip();
        assertTrue(key.length() >= 32, "a valid secret key: " + key.length() + " characters");
        int port = FreePort.find();
        String url = TestPostgres.newDatabase();
        String command = translate(RUN_CONFIGURED, container, volume, "--network host -e PORT=" + port)
                .replaceAll("ROWAN_DATABASE_URL=[^']*", Matcher.quoteReplacement("ROWAN_DATABASE_URL=" + url));
        Result run = podman.shell(tmp, Duration.ofMinutes(2), command);
        assertEquals(0, run.exit(), command + ": " + run.output());
        awaitReady(container, port);

        String logs = podman.ok(WORK, "logs", container);
        assertTrue(logs.contains("Internal database: PostgreSQL postgres@localhost:" + TestPostgres.server().getPort()), logs);
        assertTrue(logs.contains("Secret key:        fingerprint " + SecretKeys.fingerprint(key) + ", from the file named by ROWAN_SECRET_KEY_FILE (/run/secrets/rowan-secret-key)"), logs);
        assertTrue(logs.contains("http.port = " + port + "  (environment variable PORT)"), logs);
        assertFalse(logs.contains(key), "the key is never printed");
        String processes = podman.ok(WORK, "exec", container, "sh", "-c", "cat /proc/[0-9]*/comm");
        assertFalse(processes.contains("postgres"), "the built-in server is not started: " + processes);
        assertNotEquals(0, podman.run(WORK, Duration.ofMinutes(1), "exec", container, "test", "-e", DATA + "/postgres").exit(),
                "nor set up in the volume");
        assertEquals(0, podman.run(WORK, Duration.ofMinutes(1), "healthcheck", "run", container).exit(), "the healthcheck follows PORT");
        podman.ok(WORK, "rm", "-f", container);
        podman.ok(WORK, "volume", "rm", volume);
    }

    /** The page from install to uninstall, on one volume: data made in the first container is there in each later one. */
    @Test
    @Order(7)
    void installSetupUpdateBackupRestoreAndUninstallAsThePageSays() throws IOException {
        String container = prefix + "-page";
        String volume = prefix + "-data";
        int port = FreePort.find();
        String publish = "-p 127.0.0.1:" + port + ":8000";

        page(RUN, container, volume, publish);
        awaitReady(container, port);
        String logs = page(LOGS, container, volume, publish);
        assertTrue(logs.contains("Internal database: built-in PostgreSQL in " + DATA + "/postgres"), logs);
        Matcher token = Pattern.compile("setup\\?token=([A-Za-z0-9_-]+)").matcher(logs);
        assertTrue(token.find(), logs);
        assertEquals("10001", podman.ok(WORK, "exec", container, "id", "-u").strip(), "not root");
        assertEquals(0, podman.run(WORK, Duration.ofMinutes(1), "healthcheck", "run", container).exit(), "healthy");

        Session admin = Session.of(post(port, null, "/api/v1/setup",
                Map.of("token", token.group(1), "username", "admin", "password", PASSWORD)), 201);
        // docs/connecting-to-localhost.md: in the container, "localhost" is the container, and Rowan says so.
        HttpResponse<String> localhost = post(port, admin, "/api/v1/databases/test", Map.of("url", "postgres://rowan@localhost:5432/rowan"));
        assertEquals(422, localhost.statusCode(), localhost.body());
        assertEquals("unreachable", json(localhost).get("code").asText(), localhost.body());
        assertTrue(json(localhost).get("hint").asText().startsWith("Rowan runs in a container, where \"localhost\" is the container itself"),
                localhost.body());
        HttpResponse<String> created = post(port, admin, "/api/v1/databases", Map.of("name", "Shop", "builtin", true, "sample", false));
        assertEquals(201, created.statusCode(), created.body());
        long db = json(created).get("id").asLong();
        HttpResponse<String> table = post(port, admin, "/api/v1/databases/" + db + "/tables",
                Map.of("schema", "public", "name", "books", "columns", List.of(Map.of("name", "title", "type", "text"))));
        assertEquals(201, table.statusCode(), table.body());
        String records = "/api/v1/databases/" + db + "/tables/" + json(table).get("oid").asLong() + "/records";
        HttpResponse<String> record = post(port, admin, records, Map.of("title", "Dune"));
        assertEquals(201, record.statusCode(), record.body());

        String check = page(CHECK, container, volume, publish);
        assertTrue(check.contains("ok    internal database built-in PostgreSQL in " + DATA + "/postgres is reachable"), check);
        assertTrue(check.contains("All checks passed."), check);
        String config = page(CONFIG_SHOW, container, volume, publish);
        assertTrue(config.matches("(?s).*database\\.default\\s*=\\s*builtin.*ROWAN_DATABASE_DEFAULT.*"), config);
        page(RESET_PASSWORD, container, volume, publish);
        assertEquals(401, get(port, admin, "/api/v1/auth/session").statusCode(), "reset-password signed the admin out");

        // Update: the next version's image (this build's, from the build cache), a new container on the same volume.
        page(UPDATE_BUILD, container, volume, publish);
        page(STOP, container, volume, publish);
        assertEquals("143", podman.ok(WORK, "inspect", container, "--format", "{{.State.ExitCode}}").strip(),
                "Rowan ended on SIGTERM by itself, not killed after the timeout");
        assertTrue(podman.ok(WORK, "logs", container).contains("Built-in PostgreSQL stopped"), "the built-in server stopped cleanly");
        page(RM, container, volume, publish);
        page(UPDATE_RUN, container, volume, publish);
        awaitReady(container, port);
        logs = podman.ok(WORK, "logs", container);
        assertFalse(logs.contains("setup?token="), "the same installation, already set up: " + logs);
        assertFalse(logs.contains("left running by an earlier Rowan"), logs);
        assertTitles(port, records, "Dune");

        // Backup with Rowan stopped, then a restore into a new volume after the old one is gone.
        page(STOP, container, volume, publish);
        page(BACKUP, container, volume, publish);
        assertTrue(Files.size(tmp.resolve("rowan-data.tar.gz")) > 1_000_000, "the archive holds the built-in server's files");
        page(START, container, volume, publish);
        awaitReady(container, port);
        page(UNINSTALL_CONTAINER, container, volume, publish);
        page(UNINSTALL_VOLUME, container, volume, publish);
        assertNotEquals(0, podman.run(WORK, Duration.ofMinutes(1), "volume", "exists", volume).exit());
        page(RESTORE, container, volume, publish);
        page(RUN, container, volume, publish);
        awaitReady(container, port);
        assertTitles(port, records, "Dune");

        page(UNINSTALL_CONTAINER, container, volume, publish);
        page(UNINSTALL_VOLUME, container, volume, publish);
        page(UNINSTALL_IMAGE, container, volume, publish);
        assertNotEquals(0, podman.run(WORK, Duration.ofMinutes(1), "container", "exists", container).exit());
        assertNotEquals(0, podman.run(WORK, Duration.ofMinutes(1), "volume", "exists", volume).exit());
        assertNotEquals(0, podman.run(WORK, Duration.ofMinutes(1), "image", "exists", image + ":" + VERSION).exit());
    }

    // --- helpers -------------------------------------------------------------------------------

    /**
     * The page's command as this test runs it: podman for docker (with `--format docker`, since the OCI
     * format podman builds by default has no HEALTHCHECK), this run's container, volume and image names,
     * and instead of `-p 8000:8000` the given publishing options.
     */
    private String translate(String command, String container, String volume, String publish) {
        return command.replace("docker ", "podman ")
                .replace("podman build ", "podman build --format docker ")
                .replace(" -p 8000:8000 ", " " + publish + " ")
                .replace("rowan-data:", volume + ":")
                .replaceAll(" rowan-data$", Matcher.quoteReplacement(" " + volume))
                .replaceAll("(?<= )rowan:(?=\\d)", Matcher.quoteReplacement(image + ":"))
                .replaceAll("(--name|logs|stop|start|rm|rm -f|exec|exec -i) rowan(?= |$)", "$1 " + Matcher.quoteReplacement(container));
    }

    /** Runs a page command (builds in the project, the rest in the test's directory); it must succeed. Returns its output. */
    private String page(String command, String container, String volume, String publish) {
        String translated = translate(command, container, volume, publish);
        Result r = podman.shell(command.contains("target/docker-context") ? PROJECT : tmp, Duration.ofMinutes(5), translated);
        assertEquals(0, r.exit(), translated + ":\n" + r.output());
        return r.output();
    }

    private void awaitReady(String container, int port) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (!podman.ok(WORK, "inspect", container, "--format", "{{.State.Running}}").strip().equals("true")) {
                fail("the container stopped:\n" + podman.run(WORK, Duration.ofMinutes(1), "logs", container).output());
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        fail("not ready within 3 minutes:\n" + podman.run(WORK, Duration.ofMinutes(1), "logs", container).output());
    }

    /** Signs in with the reset password and reads the table's titles. */
    private void assertTitles(int port, String records, String... titles) throws IOException {
        Session admin = Session.of(post(port, null, "/api/v1/auth/login", Map.of("username", "admin", "password", NEW_PASSWORD)), 200);
        HttpResponse<String> r = get(port, admin, records + "?order=title:asc");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(List.of(titles), json(r).get("results").findValuesAsText("title"));
    }

    /** A signed-in session: its cookie and CSRF token. */
    private record Session(String cookie, String csrf) {
        static Session of(HttpResponse<String> r, int expected) throws IOException {
            assertEquals(expected, r.statusCode(), r.body());
            return new Session("rowan_session=" + TestRowan.sessionCookie(r), json(r).get("csrfToken").asText());
        }
    }

    private static HttpResponse<String> post(int port, Session s, String path, Object body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).header("Content-Type", "application/json");
        return s == null ? TestRowan.send(b) : TestRowan.send(b, "Cookie", s.cookie(), "X-CSRF-Token", s.csrf());
    }

    private static HttpResponse<String> get(int port, Session s, String path) {
        return TestRowan.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET(), "Cookie", s.cookie());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
