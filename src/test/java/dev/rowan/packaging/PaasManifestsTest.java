package dev.rowan.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.rowan.Version;
import dev.rowan.testing.FreePort;
import dev.rowan.testing.TestPostgres;
import dev.rowan.testing.TestRowan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The PaaS manifests (render.yaml, railway.json, .do/deploy.template.yaml, app.json with Procfile)
 * and the environment each platform gives Rowan from them: read from the manifests, filled in the
 * way the platform fills it in, and given to a real Rowan with a real PostgreSQL database. Render and
 * DigitalOcean run the Docker image that docs/install/docker.md builds (DockerImageIT runs it), so
 * their Rowan also gets the environment that image's Dockerfile sets.
 */
class PaasManifestsTest {
    private static final Path PROJECT = Path.of(System.getProperty("rowan.projectDir", "."));
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String JVM_OPTIONS = "-Xmx256m -XX:+UseSerialGC";
    private static final String DOCKERFILE = "packaging/docker/Dockerfile";
    /** The image the PaaS page has people push, and the manifests run: Docker Hub, the account left to fill in. */
    private static final String PUSHED_IMAGE = "docker.io/YOUR-ACCOUNT/rowan:" + Version.current();
    /** The profile of pom.xml that builds the Debian package, which the source builds on a platform leave out. */
    private static final String DEBIAN_PROFILE = "debian-package";
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path tmp;

    /**
     * A platform: how it fills in its manifest's variables, given the URL of the managed database
     * it created and the port it chose, and the host name people reach the app by; and whether it runs
     * Rowan's Docker image, whose own environment then comes first (the platform's variables win).
     */
    record Platform(String name, String host, boolean runsTheImage, Function<String, Map<String, String>> variables) {
        Map<String, String> environment(String databaseUrl, int port) {
            Map<String, String> env = new LinkedHashMap<>(runsTheImage ? imageEnvironment() : Map.of());
            env.putAll(variables.apply(databaseUrl));
            env.put("PORT", Integer.toString(port));
            return env;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Platform> platforms() {
        return Stream.of(
                new Platform("Render", "rowan-x1y2.onrender.com", true, PaasManifestsTest::renderVariables),
                new Platform("Railway", "rowan-production.up.railway.app", false, PaasManifestsTest::railwayVariables),
                new Platform("DigitalOcean", "rowan-a1b2c.ondigitalocean.app", true, PaasManifestsTest::digitalOceanVariables),
                new Platform("Heroku", "my-rowan-1a2b3c4d5e6f.herokuapp.com", false, PaasManifestsTest::herokuVariables));
    }

    private static JsonNode yaml(String path) {
        try {
            return YAML.readTree(PROJECT.resolve(path).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(String path) {
        try {
            return JSON.readTree(PROJECT.resolve(path).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(String path) {
        try {
            return Files.readString(PROJECT.resolve(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The jar Maven builds (`target/<finalName>.jar`), which the start commands must run. */
    private static String builtJar() {
        Matcher m = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(read("pom.xml"));
        assertTrue(m.find(), "pom.xml names the jar");
        return "target/" + m.group(1) + ".jar";
    }

    private static String startCommand() {
        return "java " + JVM_OPTIONS + " $JAVA_OPTS -jar " + builtJar();
    }

    /** One section of docs/install/paas.md, from its `## name` heading to the next. */
    private static String docsSection(String name) {
        String doc = read("docs/install/paas.md");
        int start = doc.indexOf("\n## " + name + "\n");
        assertTrue(start >= 0, "docs/install/paas.md has a section " + name);
        int end = doc.indexOf("\n## ", start + 1);
        return doc.substring(start, end < 0 ? doc.length() : end);
    }

    /** The lines of the first fenced block with the given info string in a docs section. */
    private static List<String> docsBlock(String section, String info) {
        return block(docsSection(section), info, "the docs section " + section);
    }

    private static List<String> block(String text, String info, String where) {
        Matcher m = Pattern.compile("```" + info + "\n(.*?)\n\\s*```", Pattern.DOTALL).matcher(text);
        assertTrue(m.find(), "a ```" + info + " block in " + where);
        return m.group(1).lines().map(String::trim).toList();
    }

    /**
     * The environment Rowan's Docker image sets: the ROWAN_ variables of the Dockerfile's ENV. Its data
     * directory there is replaced by each test's own (a flag, which wins over the environment).
     */
    static Map<String, String> imageEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : read(DOCKERFILE).replace("\\\n", " ").lines().toList()) {
            if (!line.startsWith("ENV ")) continue;
            for (String pair : line.substring("ENV ".length()).trim().split("\\s+")) {
                int eq = pair.indexOf('=');
                assertTrue(eq > 0, "ENV in the form KEY=value: " + pair);
                if (pair.startsWith("ROWAN_")) env.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return env;
    }

    /**
     * The Maven option that leaves out the Debian package in a platform's build from the sources: it
     * names the profile of pom.xml that builds it (Maven only warns about a profile that does not exist).
     */
    private static String withoutDebianPackage() {
        Matcher profile = Pattern.compile("<profile>\\s*<id>" + DEBIAN_PROFILE + "</id>(.*?)</profile>", Pattern.DOTALL).matcher(read("pom.xml"));
        assertTrue(profile.find(), "pom.xml has the profile " + DEBIAN_PROFILE);
        assertTrue(profile.group(1).contains("packaging/debian/build.sh"), "the profile " + DEBIAN_PROFILE + " builds the Debian package");
        return "-P-" + DEBIAN_PROFILE;
    }

    private static String base64Key() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String randomCharacters(int n) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        return sb.toString();
    }

    // ---- Render: render.yaml ----

    private static JsonNode renderWebService() {
        List<JsonNode> web = new ArrayList<>();
        yaml("render.yaml").path("services").forEach(s -> {
            if (s.path("type").asText().equals("web")) web.add(s);
        });
        assertEquals(1, web.size(), "one web service in render.yaml");
        return web.get(0);
    }

    /** Render fills fromDatabase with the database's internal URL and generateValue with a base64-encoded 256-bit value. */
    private static Map<String, String> renderVariables(String databaseUrl) {
        Set<String> databases = new HashSet<>();
        yaml("render.yaml").path("databases").forEach(d -> databases.add(d.path("name").asText()));
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode v : renderWebService().path("envVars")) {
            String key = v.path("key").asText();
            if (v.has("fromDatabase")) {
                assertTrue(databases.contains(v.at("/fromDatabase/name").asText()), key + " names a database of the Blueprint");
                assertEquals("connectionString", v.at("/fromDatabase/property").asText());
                env.put(key, databaseUrl.replaceFirst("^postgres://", "postgresql://"));
            } else if (v.path("generateValue").asBoolean()) {
                env.put(key, base64Key());
            } else if (v.has("value")) {
                env.put(key, v.path("value").asText());
            } else {
                fail("render.yaml: " + key + " gets its value in a way this test does not know: " + v);
            }
        }
        return env;
    }

    @Test
    void renderRunsTheImageThePagePushesWithAManagedDatabaseAndAGeneratedKey() {
        JsonNode web = renderWebService();
        assertEquals("image", web.path("runtime").asText(), "the Dockerfile packages a jar built beforehand: Render cannot build it from the sources");
        assertEquals(PUSHED_IMAGE, web.at("/image/url").asText());
        for (String field : List.of("repo", "dockerfilePath", "dockerContext", "dockerCommand", "buildCommand", "startCommand")) {
            assertTrue(web.path(field).isMissingNode(), field + ": nothing is built, and the image's own start command runs, with its JVM options");
        }
        assertEquals("/health/ready", web.path("healthCheckPath").asText());

        Map<String, JsonNode> vars = new LinkedHashMap<>();
        web.path("envVars").forEach(v -> vars.put(v.path("key").asText(), v));
        assertEquals("connectionString", vars.get("DATABASE_URL").at("/fromDatabase/property").asText());
        assertTrue(vars.get("ROWAN_SECRET_KEY").path("generateValue").asBoolean());
        assertFalse(vars.containsKey("PORT") || vars.containsKey("ROWAN_HTTP_PORT"), "Render's own PORT decides the port");
        assertTrue(yaml("render.yaml").at("/databases/0/plan").isTextual());
    }

    // ---- The image that Render and DigitalOcean run ----

    @Test
    void thePagePushesTheImageThatTheDockerPageBuilds() {
        String dockerPage = read("docs/install/docker.md");
        int build = dockerPage.indexOf("\n### Build the image\n");
        assertTrue(build >= 0, "docs/install/docker.md has the section Build the image");
        List<String> buildCommands = block(dockerPage.substring(build), "sh", "docs/install/docker.md, Build the image");
        List<String> onPage = docsBlock("Rowan's image for Render and DigitalOcean", "sh");
        assertEquals(buildCommands, onPage.subList(0, Math.min(buildCommands.size(), onPage.size())),
                "the commands of docs/install/docker.md, which DockerImageIT runs");

        String built = "rowan:" + Version.current();
        assertTrue(buildCommands.contains("docker build -t " + built + " target/docker-context"), buildCommands.toString());
        assertEquals(List.of("docker tag " + built + " " + PUSHED_IMAGE, "docker push " + PUSHED_IMAGE),
                onPage.subList(buildCommands.size(), onPage.size()));
    }

    @Test
    void theImageKeepsRowansDataOnTheBuiltInServerUnlessADatabaseUrlIsGiven() {
        assertEquals("builtin", imageEnvironment().get("ROWAN_DATABASE_DEFAULT"),
                "what the managed database's URL has to win over on Render and DigitalOcean");
        assertFalse(imageEnvironment().containsKey("ROWAN_HTTP_PORT"), "the platform's PORT decides the port");
    }

    // ---- Railway: railway.json, and the service variables in the docs ----

    /** The variables docs/install/paas.md tells to paste, filled in as a Railway template deployment does. */
    private static Map<String, String> railwayVariables(String databaseUrl) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : docsBlock("Railway", "env")) {
            int eq = line.indexOf('=');
            Matcher ref = Pattern.compile("\\$\\{\\{([^}]+)}}").matcher(line.substring(eq + 1));
            StringBuilder value = new StringBuilder();
            while (ref.find()) {
                String name = ref.group(1).trim();
                Matcher secret = Pattern.compile("secret\\((\\d+)\\)").matcher(name);
                String filled = switch (name) {
                    case "Postgres.DATABASE_URL" -> databaseUrl.replaceFirst("^postgres://", "postgresql://");
                    case "RAILWAY_PUBLIC_DOMAIN" -> "rowan-production.up.railway.app";
                    default -> secret.matches() ? randomCharacters(Integer.parseInt(secret.group(1)))
                            : fail("the Railway variable " + line + " refers to something this test does not know");
                };
                ref.appendReplacement(value, Matcher.quoteReplacement(filled));
            }
            ref.appendTail(value);
            env.put(line.substring(0, eq), value.toString());
        }
        return env;
    }

    @Test
    void railwayBuildsWithMavenAndNodeAndStartsTheJarWithTheJvmOptions() {
        JsonNode config = json("railway.json");
        assertEquals("RAILPACK", config.at("/build/builder").asText());
        assertEquals("mvn -B -DskipTests " + withoutDebianPackage() + " package", config.at("/build/buildCommand").asText());
        assertEquals(startCommand(), config.at("/deploy/startCommand").asText());
        assertEquals("/health/ready", config.at("/deploy/healthcheckPath").asText());

        Map<String, String> documented = new LinkedHashMap<>();
        docsBlock("Railway", "env").forEach(l -> documented.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        assertEquals("${{Postgres.DATABASE_URL}}", documented.get("DATABASE_URL"));
        assertTrue(documented.get("ROWAN_SECRET_KEY").matches("\\$\\{\\{secret\\((\\d{2,})\\)}}"), documented.get("ROWAN_SECRET_KEY"));
        assertEquals("node@20", documented.get("RAILPACK_PACKAGES"), "the web interface is built with Node.js 20");
        String section = docsSection("Railway");
        assertTrue(section.contains("`" + config.at("/build/buildCommand").asText() + "`"), "the docs show the build command");
        assertTrue(section.contains("`" + config.at("/deploy/startCommand").asText() + "`"), "the docs show the start command");
    }

    // ---- DigitalOcean App Platform: .do/deploy.template.yaml ----

    private static JsonNode digitalOceanService() {
        JsonNode services = yaml(".do/deploy.template.yaml").at("/spec/services");
        assertEquals(1, services.size());
        return services.get(0);
    }

    /**
     * App Platform fills ${<database>.DATABASE_URL} and ${APP_URL}; a SECRET without a value is
     * pasted by the person, as the docs say, from `openssl rand -base64 32`.
     */
    private static Map<String, String> digitalOceanVariables(String databaseUrl) {
        Set<String> databases = new HashSet<>();
        yaml(".do/deploy.template.yaml").at("/spec/databases").forEach(d -> {
            if (d.path("engine").asText().equals("PG")) databases.add(d.path("name").asText());
        });
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : digitalOceanService().path("envs")) {
            String key = e.path("key").asText();
            String value = e.path("value").asText(null);
            Matcher binding = Pattern.compile("\\$\\{([^}.]+)\\.DATABASE_URL}").matcher(value == null ? "" : value);
            if (value == null && e.path("type").asText().equals("SECRET")) {
                env.put(key, base64Key());
            } else if (binding.matches()) {
                assertTrue(databases.contains(binding.group(1)), key + " binds a PostgreSQL database of the app");
                env.put(key, databaseUrl.replaceFirst("^postgres://", "postgresql://"));
            } else if (value != null) {
                String filled = value.replace("${APP_URL}", "https://rowan-a1b2c.ondigitalocean.app");
                assertFalse(filled.contains("${"), key + " binds something this test does not know: " + value);
                env.put(key, filled);
            } else {
                fail(".do/deploy.template.yaml: " + key + " has no value");
            }
        }
        return env;
    }

    @Test
    void digitalOceanRunsTheImageThePagePushesWithABoundDatabaseAndAsksForTheKey() {
        JsonNode service = digitalOceanService();
        JsonNode image = service.path("image");
        assertEquals("DOCKER_HUB", image.path("registry_type").asText());
        assertEquals(PUSHED_IMAGE, "docker.io/" + image.path("registry").asText() + "/" + image.path("repository").asText()
                + ":" + image.path("tag").asText());
        for (String field : List.of("git", "github", "gitlab", "dockerfile_path", "source_dir", "build_command", "run_command")) {
            assertTrue(service.path(field).isMissingNode(), field + ": nothing is built, and the image's own start command runs, with its JVM options");
        }
        assertEquals(8000, service.path("http_port").asInt());
        assertEquals("/health/ready", service.at("/health_check/http_path").asText());

        Map<String, JsonNode> envs = new LinkedHashMap<>();
        service.path("envs").forEach(e -> envs.put(e.path("key").asText(), e));
        assertTrue(envs.get("DATABASE_URL").path("value").asText().matches("\\$\\{[^}]+\\.DATABASE_URL}"));
        assertEquals("SECRET", envs.get("ROWAN_SECRET_KEY").path("type").asText());
        assertEquals("RUN_TIME", envs.get("ROWAN_SECRET_KEY").path("scope").asText());
        assertEquals("${APP_URL}", envs.get("ROWAN_PUBLIC_URL").path("value").asText());
        assertTrue(docsSection("DigitalOcean App Platform").contains("openssl rand -base64 32"),
                "the docs give the one manual step: generating the key");
    }

    // ---- Heroku: app.json, Procfile, system.properties, package.json ----

    /** The Heroku Postgres add-on attached as DATABASE sets DATABASE_URL; generator "secret" makes 64 hex digits. */
    private static Map<String, String> herokuVariables(String databaseUrl) {
        JsonNode app = json("app.json");
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode addon : app.path("addons")) {
            if (addon.path("plan").asText().startsWith("heroku-postgresql")) {
                env.put(addon.path("as").asText("DATABASE") + "_URL", databaseUrl);
            }
        }
        app.path("env").fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (v.path("generator").asText().equals("secret")) {
                byte[] bytes = new byte[32];
                RANDOM.nextBytes(bytes);
                env.put(e.getKey(), HexFormat.of().formatHex(bytes));
            } else if (v.has("value")) {
                env.put(e.getKey(), v.path("value").asText());
            } else {
                fail("app.json: " + e.getKey() + " gets its value in a way this test does not know: " + v);
            }
        });
        return env;
    }

    @Test
    void herokuBuildsWithNodeThenJavaAndStartsTheJarWithTheJvmOptions() throws IOException {
        JsonNode app = json("app.json");
        List<String> buildpacks = new ArrayList<>();
        app.path("buildpacks").forEach(b -> buildpacks.add(b.path("url").asText()));
        assertEquals(List.of("heroku/nodejs", "heroku/java"), buildpacks, "Node.js must be there when Maven builds the web interface");
        assertTrue(json("package.json").at("/engines/node").asText().startsWith("20"), "the Node.js buildpack installs Node.js 20");
        Properties system = new Properties();
        system.load(Files.newBufferedReader(PROJECT.resolve("system.properties")));
        assertEquals("17", system.getProperty("java.runtime.version"));
        assertEquals(List.of("web: " + startCommand()), read("Procfile").lines().toList());
        assertEquals("secret", app.at("/env/ROWAN_SECRET_KEY/generator").asText());
        assertEquals("DATABASE", app.at("/addons/0/as").asText());
        String mavenOptions = app.at("/env/MAVEN_CUSTOM_OPTS/value").asText();
        assertEquals(List.of("-DskipTests", withoutDebianPackage()), List.of(mavenOptions.split(" ")),
                "the buildpack's own -DskipTests, which this setting replaces, and no Debian package");

        // The CLI way in the docs sets up what app.json describes.
        List<String> cli = docsBlock("Heroku", "sh");
        assertTrue(cli.contains("heroku create my-rowan --stack " + app.path("stack").asText()), cli.toString());
        assertEquals(buildpacks.stream().map(b -> "heroku buildpacks:add " + b).toList(),
                cli.stream().filter(l -> l.startsWith("heroku buildpacks:add")).toList());
        assertTrue(cli.contains("heroku addons:create " + app.at("/addons/0/plan").asText()), cli.toString());
        String config = cli.stream().filter(l -> l.startsWith("heroku config:set")).findFirst().orElseThrow();
        assertTrue(config.contains(" ROWAN_SECRET_KEY=\"$(openssl rand -hex 32)\""), "64 hex digits, like app.json's generator");
        assertTrue(List.of(config.split(" ")).contains("ROWAN_ALLOWED_HOSTS=" + app.at("/env/ROWAN_ALLOWED_HOSTS/value").asText()), config);
        assertTrue(config.contains(" MAVEN_CUSTOM_OPTS=\"" + mavenOptions + "\""), config);
    }

    @Test
    void theNativeBuildsStartRowanWithTheSameCommand() {
        assertEquals(json("railway.json").at("/deploy/startCommand").asText(), read("Procfile").strip().substring("web: ".length()));
    }

    // ---- Rowan in each platform's environment ----

    private static int count(String databaseUrl, String sql) throws SQLException {
        try (Connection c = TestPostgres.connect(TestPostgres.databaseName(databaseUrl)); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("platforms")
    void rowanServesOnThePlatformsPortWithTheManagedDatabaseAsItsInternalDatabase(Platform platform) throws SQLException {
        String databaseUrl = TestPostgres.newDatabase();
        int port = FreePort.find();
        Map<String, String> env = platform.environment(databaseUrl, port);
        Path dataDir = tmp.resolve("app");
        try (TestRowan rowan = TestRowan.start(dataDir, Map.of(), env)) {
            assertEquals(port, rowan.port(), "Rowan listens on PORT");
            assertEquals(200, rowan.get("/health/ready").statusCode());
            assertEquals(401, rowan.get("/api/v1/auth/session", "Host", platform.host()).statusCode(),
                    "Rowan answers to the app's host name");
            assertEquals(400, rowan.get("/api/v1/auth/session", "Host", "rowan.attacker.example").statusCode(),
                    "and not to any host name");
            assertNotNull(rowan.setupToken());
            if (env.containsKey("ROWAN_PUBLIC_URL")) {
                assertTrue(rowan.setupLink().startsWith("https://" + platform.host() + "/setup?token="), rowan.setupLink());
            }
        }
        assertTrue(count(databaseUrl, "SELECT count(*) FROM rowan_schema_history") > 0, "migrated in the managed database");
        assertFalse(Files.exists(dataDir.resolve("rowan.db")), "no SQLite internal database on the app's throwaway disk");
        assertFalse(Files.exists(dataDir.resolve("postgres")), "nor the built-in server, which the image would otherwise hold it on");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("platforms")
    void aRestartOnAnEmptyFileSystemFindsTheSameInstallation(Platform platform) {
        Map<String, String> env = platform.environment(TestPostgres.newDatabase(), FreePort.find());
        String host = platform.host();
        try (TestRowan first = TestRowan.start(tmp.resolve("dyno-1"), Map.of(), env)) {
            HttpResponse<String> setup = first.post("/api/v1/setup",
                    "{\"token\":\"" + first.setupToken() + "\",\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}", "Host", host);
            assertEquals(201, setup.statusCode(), setup.body());
        }
        // A new instance (dyno, container) starts from the slug or image: nothing the first one wrote is there.
        try (TestRowan second = TestRowan.start(tmp.resolve("dyno-2"), Map.of(), env)) {
            assertNull(second.setupLink(), "no second setup: the administrator is in the managed database");
            HttpResponse<String> login = second.post("/api/v1/auth/login",
                    "{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}", "Host", host);
            assertEquals(200, login.statusCode(), login.body());
        }
    }
}
