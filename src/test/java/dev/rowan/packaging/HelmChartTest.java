package dev.rowan.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import dev.rowan.Version;
import dev.rowan.config.ConfigResolver;
import dev.rowan.config.Options;
import dev.rowan.config.Settings;
import dev.rowan.internal.InternalDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart in packaging/helm/rowan, linted and rendered by the real Helm (embedded through helm-java),
 * and held against the Docker image it runs (packaging/docker/Dockerfile, which DockerImageIT builds and runs).
 */
class HelmChartTest {
    private static final Path PROJECT = Path.of(System.getProperty("rowan.projectDir", "."));
    private static final Path CHART = PROJECT.resolve("packaging/helm/rowan");
    private static final Path DOCS = PROJECT.resolve("docs/install/helm.md");
    private static final Path DOCKERFILE = PROJECT.resolve("packaging/docker/Dockerfile");
    /**
     * Measured resident memory (bench/README.md, docs/install/docker.md): Rowan with -Xmx256m, and the
     * built-in PostgreSQL server beside it in the same container with a small database.
     */
    private static final long ROWAN_MIB = 272;
    private static final long BUILTIN_POSTGRES_MIB = 57;
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String EXTERNAL_DB = "postgres://rowan:s3cret@db.example.org:5432/rowan?sslmode=require";

    private static FakeKubernetesApi cluster;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startFakeCluster() throws IOException {
        String kubeconfig = System.getenv("KUBECONFIG");
        assertNotNull(kubeconfig, "run through Maven: pom.xml points KUBECONFIG at the fake API server's configuration");
        cluster = FakeKubernetesApi.start(Path.of(kubeconfig));
    }

    @AfterAll
    static void stopFakeCluster() {
        cluster.close();
    }

    @AfterEach
    void emptyTheCluster() {
        cluster.clear();
    }

    /** `helm template rowan packaging/helm/rowan --namespace rowan -f … --set k=v …`, parsed into its manifests. */
    private static List<JsonNode> render(Map<String, String> values, Path... valuesFiles) {
        TemplateCommand command = new Helm(CHART).template().withName("rowan").withNamespace("rowan");
        for (Path file : valuesFiles) command.withValuesFile(file);
        values.forEach(command::set);
        List<JsonNode> manifests = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readValues(YAML.createParser(command.call()), JsonNode.class)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isEmpty()) manifests.add(doc);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return manifests;
    }

    private static List<JsonNode> render() {
        return render(Map.of());
    }

    private static List<JsonNode> all(List<JsonNode> manifests, String kind) {
        return manifests.stream().filter(m -> m.path("kind").asText().equals(kind)).toList();
    }

    private static JsonNode one(List<JsonNode> manifests, String kind) {
        List<JsonNode> found = all(manifests, kind);
        assertEquals(1, found.size(), "one " + kind + " in " + manifests.stream().map(m -> m.path("kind").asText()).toList());
        return found.get(0);
    }

    private static JsonNode container(List<JsonNode> manifests) {
        return one(manifests, "Deployment").at("/spec/template/spec/containers/0");
    }

    private static JsonNode env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals(name)) return e;
        }
        return null;
    }

    private static String secretValue(List<JsonNode> manifests, String secret, String key) {
        for (JsonNode s : all(manifests, "Secret")) {
            if (s.at("/metadata/name").asText().equals(secret) && s.path("data").has(key)) {
                return new String(Base64.getDecoder().decode(s.path("data").path(key).asText()), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no key " + key + " in a Secret " + secret);
    }

    /** The environment Kubernetes would give the container: literal values, and secret references looked up in the rendered Secrets. */
    private static Map<String, String> containerEnvironment(List<JsonNode> manifests) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : container(manifests).path("env")) {
            JsonNode ref = e.at("/valueFrom/secretKeyRef");
            env.put(e.path("name").asText(), ref.isMissingNode() ? e.path("value").asText()
                    : secretValue(manifests, ref.path("name").asText(), ref.path("key").asText()));
        }
        return env;
    }

    private static String docs() {
        try {
            return Files.readString(DOCS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ```yaml block of docs/install/helm.md that starts with `# name`, written to a file for `helm -f`. */
    private Path docsValuesFile(String name) throws IOException {
        Matcher m = Pattern.compile("```yaml\n# " + Pattern.quote(name) + "\n(.*?)```", Pattern.DOTALL).matcher(docs());
        assertTrue(m.find(), "docs/install/helm.md has the values file " + name);
        return Files.writeString(tmp.resolve(name), m.group(1));
    }

    private static String dockerfile() {
        try {
            return Files.readString(DOCKERFILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Kubernetes memory quantity (e.g. 512Mi, 1Gi, 600M) in MiB. */
    private static long mebibytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi|k|M|G)?").matcher(quantity);
        assertTrue(m.matches(), "a memory quantity: " + quantity);
        double bytes = Long.parseLong(m.group(1)) * switch (m.group(2) == null ? "" : m.group(2)) {
            case "Ki" -> 1024.0;
            case "Mi" -> 1024.0 * 1024;
            case "Gi" -> 1024.0 * 1024 * 1024;
            case "k" -> 1e3;
            case "M" -> 1e6;
            case "G" -> 1e9;
            default -> 1.0;
        };
        return (long) (bytes / (1024 * 1024));
    }

    private static IllegalStateException renderFails(Map<String, String> values) {
        return assertThrows(IllegalStateException.class, () -> render(values));
    }

    @Test
    void theChartPassesStrictLint() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
    }

    @Test
    void theImageTheDocsBuildAndPushIsTheOneTheirValuesFileRuns() throws IOException {
        String dockerPage = Files.readString(PROJECT.resolve("docs/install/docker.md"));
        Matcher buildSection = Pattern.compile("\n### Build the image\n.*?```sh\n(.*?)\n```", Pattern.DOTALL).matcher(dockerPage);
        assertTrue(buildSection.find(), "docs/install/docker.md shows how to build the image");
        List<String> build = buildSection.group(1).lines().toList();
        Matcher pushBlock = Pattern.compile("\\*\\*Rowan's image\\.\\*\\*.*?```sh\n(.*?)\n```", Pattern.DOTALL).matcher(docs());
        assertTrue(pushBlock.find(), "docs/install/helm.md shows how to build and push the image");
        List<String> push = pushBlock.group(1).lines().toList();
        assertEquals(build, push.subList(0, Math.min(build.size(), push.size())), "the commands of docs/install/docker.md, which DockerImageIT runs");

        String repository = YAML.readTree(docsValuesFile("rowan-values.yaml").toFile()).at("/image/repository").asText();
        String image = repository + ":" + Version.current();
        assertEquals(List.of("docker tag rowan:" + Version.current() + " " + image, "docker push " + image), push.subList(build.size(), push.size()));
        assertEquals(image, container(render(Map.of(), docsValuesFile("rowan-values.yaml"))).path("image").asText());
    }

    @Test
    void theChartAndItsAppVersionFollowTheProjectVersion() throws IOException {
        JsonNode chart = YAML.readTree(CHART.resolve("Chart.yaml").toFile());
        assertEquals(Version.current(), chart.path("appVersion").asText());
        assertEquals(Version.current(), chart.path("version").asText());
        assertEquals("rowan:" + Version.current(), container(render()).path("image").asText(), "the Docker channel's image by default");
    }

    @Test
    void byDefaultRowanRunsAsNonRootWithProbesJvmOptionsAndItsDataOnAPersistentVolume() {
        List<JsonNode> manifests = render();
        JsonNode deployment = one(manifests, "Deployment");
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode rowan = container(manifests);

        assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean());
        assertNotEquals(0, pod.at("/securityContext/runAsUser").asInt());
        assertFalse(rowan.at("/securityContext/allowPrivilegeEscalation").asBoolean(true));
        assertEquals("/health/live", rowan.at("/livenessProbe/httpGet/path").asText());
        assertEquals("/health/ready", rowan.at("/readinessProbe/httpGet/path").asText());
        assertEquals("http", rowan.at("/readinessProbe/httpGet/port").asText());
        assertEquals(8000, rowan.at("/ports/0/containerPort").asInt());
        assertEquals("8000", env(rowan, "ROWAN_HTTP_PORT").path("value").asText());
        assertEquals("-Xmx256m -XX:+UseSerialGC", env(rowan, "JAVA_OPTS").path("value").asText());
        assertTrue(rowan.at("/resources/limits/memory").isTextual());

        JsonNode claim = one(manifests, "PersistentVolumeClaim");
        String dataDir = env(rowan, "ROWAN_DATA_DIR").path("value").asText();
        String dataVolume = null;
        for (JsonNode m : rowan.path("volumeMounts")) {
            if (m.path("mountPath").asText().equals(dataDir)) dataVolume = m.path("name").asText();
        }
        assertNotNull(dataVolume, "a volume is mounted at the data directory " + dataDir);
        JsonNode volume = null;
        for (JsonNode v : pod.path("volumes")) {
            if (v.path("name").asText().equals(dataVolume)) volume = v;
        }
        assertNotNull(volume, dataVolume);
        assertEquals(claim.at("/metadata/name").asText(), volume.at("/persistentVolumeClaim/claimName").asText());
        assertEquals("Recreate", deployment.at("/spec/strategy/type").asText(), "two pods never share the volume during an upgrade");
        assertTrue(all(manifests, "Ingress").isEmpty(), "no Ingress unless enabled");
        assertNull(env(rowan, "ROWAN_DATABASE_URL"), "the built-in internal database by default");
        assertEquals("builtin", env(rowan, "ROWAN_DATABASE_DEFAULT").path("value").asText(), "said by the chart, not only by the image");
        assertEquals("http", one(manifests, "Service").at("/spec/ports/0/targetPort").asText());
    }

    @Test
    void theChartGivesTheImageWhatItNeeds() {
        List<JsonNode> manifests = render();
        JsonNode pod = one(manifests, "Deployment").at("/spec/template/spec");
        JsonNode rowan = container(manifests);
        String dockerfile = dockerfile();

        Matcher user = Pattern.compile("(?m)^USER (\\d+)").matcher(dockerfile);
        assertTrue(user.find(), "the Dockerfile names its user");
        assertEquals(Integer.parseInt(user.group(1)), pod.at("/securityContext/runAsUser").asInt(), "the image's own user");
        Matcher volume = Pattern.compile("(?m)^VOLUME (\\S+)").matcher(dockerfile);
        assertTrue(volume.find(), "the Dockerfile declares its data volume");
        assertEquals(volume.group(1), env(rowan, "ROWAN_DATA_DIR").path("value").asText(), "the data directory is the image's volume");

        // A read-only root file system leaves the JVM and the built-in server (the binaries it unpacks, its
        // socket) a writable /tmp only if the chart mounts one.
        assertTrue(rowan.at("/securityContext/readOnlyRootFilesystem").asBoolean());
        String tmpVolume = null;
        for (JsonNode m : rowan.path("volumeMounts")) {
            if (m.path("mountPath").asText().equals("/tmp")) tmpVolume = m.path("name").asText();
        }
        assertNotNull(tmpVolume, "a volume at /tmp");
        boolean emptyDir = false;
        for (JsonNode v : pod.path("volumes")) {
            if (v.path("name").asText().equals(tmpVolume)) emptyDir = v.path("emptyDir").isObject();
        }
        assertTrue(emptyDir, "/tmp is an emptyDir: " + pod.path("volumes"));

        // Java and the built-in server run in this one container, the server whenever Rowan runs.
        long request = mebibytes(rowan.at("/resources/requests/memory").asText());
        long limit = mebibytes(rowan.at("/resources/limits/memory").asText());
        assertTrue(request >= ROWAN_MIB + BUILTIN_POSTGRES_MIB, "requested " + request + " MiB, measured " + ROWAN_MIB + " + " + BUILTIN_POSTGRES_MIB);
        assertTrue(limit >= request, "limit " + limit + " MiB below the request " + request);
        assertTrue(docs().replaceAll("\\s+", " ").contains("Rowan takes about " + ROWAN_MIB + " MB with these options and the built-in server about "
                + BUILTIN_POSTGRES_MIB + " MB"), "the docs give the same measurements");
    }

    @Test
    void theRenderedEnvironmentIsOneRowanAccepts() {
        Map<String, String> env = containerEnvironment(render());
        Settings settings = new ConfigResolver(env, Map.of(Options.DATA_DIR, tmp.toString())).resolve();
        assertEquals(8000, settings.get(Options.HTTP_PORT));
        assertTrue(settings.get(Options.ALLOWED_HOSTS).contains("localhost"), "kubectl port-forward reaches Rowan as localhost");
        assertEquals(Options.SECRET_KEY.type().parse(env.get("ROWAN_SECRET_KEY")), settings.get(Options.SECRET_KEY));
        assertEquals(InternalDatabase.Kind.BUILTIN, InternalDatabase.Kind.configured(settings), "the built-in server on the data volume");
    }

    @Test
    void theInternalDatabaseCanBeASqliteFileButNothingRowanDoesNotKnow() {
        Settings settings = new ConfigResolver(containerEnvironment(render(Map.of("database.default", "sqlite"))),
                Map.of(Options.DATA_DIR, tmp.toString())).resolve();
        assertEquals(InternalDatabase.Kind.SQLITE, InternalDatabase.Kind.configured(settings));

        IllegalStateException e = renderFails(Map.of("database.default", "postgres"));
        assertTrue(e.getMessage().contains("database.default is \"postgres\", but it is builtin (the built-in PostgreSQL server on the data volume) "
                + "or sqlite (a file on the data volume). An external PostgreSQL database is given with database.url"), e.getMessage());
    }

    @Test
    void anExternalDatabaseWinsOverTheDefault() {
        Settings settings = new ConfigResolver(containerEnvironment(render(Map.of("database.url", EXTERNAL_DB))),
                Map.of(Options.DATA_DIR, tmp.toString())).resolve();
        assertEquals("builtin", settings.get(Options.DATABASE_DEFAULT), "still given");
        assertEquals(InternalDatabase.Kind.URL, InternalDatabase.Kind.configured(settings), "but the URL decides");
    }

    @Test
    void theSecretKeyIsGeneratedAsTwoHundredFiftySixRandomBitsAtTheFirstInstall() {
        List<JsonNode> first = render();
        String key = secretValue(first, "rowan", "secret-key");
        assertEquals(32, Base64.getDecoder().decode(key).length);
        assertEquals(key, Options.SECRET_KEY.type().parse(key), "a key Rowan accepts as it is");
        assertEquals("rowan", env(container(first), "ROWAN_SECRET_KEY").at("/valueFrom/secretKeyRef/name").asText());
        assertNotEquals(key, secretValue(render(), "rowan", "secret-key"), "another install gets another key");
    }

    @Test
    void anUpgradeKeepsTheKeyFoundInTheCluster() {
        String installed = "the-key-generated-at-the-first-install-0123456789";
        cluster.putSecret("rowan", "rowan", Map.of("secret-key", installed));
        assertEquals(installed, secretValue(render(), "rowan", "secret-key"));
        assertEquals(installed, secretValue(render(Map.of("database.url", EXTERNAL_DB)), "rowan", "secret-key"),
                "also when other values change");

        cluster.clear();
        String elsewhere = "the-key-of-a-release-in-another-namespace-0123456";
        cluster.putSecret("other", "rowan", Map.of("secret-key", elsewhere));
        assertNotEquals(elsewhere, secretValue(render(), "rowan", "secret-key"), "only the release's own Secret counts");
    }

    @Test
    void withPersistenceOffThereIsNoClaimAndTheDataDirectoryIsPerPod() {
        List<JsonNode> manifests = render(Map.of("persistence.enabled", "false"));
        assertTrue(all(manifests, "PersistentVolumeClaim").isEmpty());
        JsonNode pod = one(manifests, "Deployment").at("/spec/template/spec");
        assertTrue(pod.at("/volumes/0/emptyDir").isObject(), pod.path("volumes").toString());
        assertEquals("RollingUpdate", one(manifests, "Deployment").at("/spec/strategy/type").asText());
    }

    @Test
    void anExistingClaimIsMountedInsteadOfANewOne() {
        List<JsonNode> manifests = render(Map.of("persistence.existingClaim", "rowan-data-old"));
        assertTrue(all(manifests, "PersistentVolumeClaim").isEmpty());
        assertEquals("rowan-data-old", one(manifests, "Deployment").at("/spec/template/spec/volumes/0/persistentVolumeClaim/claimName").asText());
    }

    @Test
    void theIngressOfTheDocsIsRenderedAndItsHostIsAllowed() throws IOException {
        assertTrue(docs().contains("helm upgrade rowan packaging/helm/rowan --namespace rowan -f rowan-values.yaml -f ingress-values.yaml\n"));
        List<JsonNode> manifests = render(Map.of(), docsValuesFile("rowan-values.yaml"), docsValuesFile("ingress-values.yaml"));
        assertTrue(container(manifests).path("image").asText().startsWith("registry.example.org/"), "the image of the first file is kept");
        JsonNode ingress = one(manifests, "Ingress");
        assertEquals("nginx", ingress.at("/spec/ingressClassName").asText());
        assertEquals("rowan.example.org", ingress.at("/spec/rules/0/host").asText());
        assertEquals("rowan", ingress.at("/spec/rules/0/http/paths/0/backend/service/name").asText());
        assertEquals("http", ingress.at("/spec/rules/0/http/paths/0/backend/service/port/name").asText());
        assertEquals("rowan-tls", ingress.at("/spec/tls/0/secretName").asText());

        Map<String, String> env = containerEnvironment(manifests);
        assertEquals("localhost,127.0.0.1,[::1],rowan.example.org", env.get("ROWAN_ALLOWED_HOSTS"));
        Settings settings = new ConfigResolver(env, Map.of(Options.DATA_DIR, tmp.toString())).resolve();
        assertTrue(settings.get(Options.ALLOWED_HOSTS).contains("rowan.example.org"));
        assertEquals("https://rowan.example.org", settings.get(Options.PUBLIC_URL).toString());
    }

    @Test
    void twoReplicasWithTheBuiltInInternalDatabaseAreRefusedWithTheReason() {
        IllegalStateException e = renderFails(Map.of("replicaCount", "2"));
        assertTrue(e.getMessage().contains("replicaCount is 2, but several replicas need an external internal database: "
                + "set database.url (or database.existingSecret)"), e.getMessage());
    }

    @Test
    void twoReplicasSharingTheDataVolumeAreRefusedWithTheReason() {
        IllegalStateException e = renderFails(Map.of("replicaCount", "2", "database.url", EXTERNAL_DB));
        assertTrue(e.getMessage().contains("the replicas cannot share one data volume: set persistence.enabled=false"), e.getMessage());
    }

    @Test
    void twoReplicasRenderWithTheDocsExternalInternalDatabaseWiredFromTheSecret() throws IOException {
        assertTrue(docs().contains("helm install rowan packaging/helm/rowan --namespace rowan --create-namespace -f rowan-values.yaml -f external-db-values.yaml\n"));
        Path values = docsValuesFile("external-db-values.yaml");
        String url = YAML.readTree(values.toFile()).at("/database/url").asText();
        List<JsonNode> manifests = render(Map.of(), docsValuesFile("rowan-values.yaml"), values);
        JsonNode deployment = one(manifests, "Deployment");
        assertEquals(2, deployment.at("/spec/replicas").asInt());
        assertTrue(all(manifests, "PersistentVolumeClaim").isEmpty());
        JsonNode urlEnv = env(container(manifests), "ROWAN_DATABASE_URL");
        assertEquals("rowan", urlEnv.at("/valueFrom/secretKeyRef/name").asText());
        assertEquals("database-url", urlEnv.at("/valueFrom/secretKeyRef/key").asText());
        assertEquals(url, secretValue(manifests, "rowan", "database-url"));
        assertFalse(deployment.toString().contains("change-me"), "the password is only in the Secret");
        assertTrue(deployment.at("/spec/template/metadata/annotations/checksum~1database-url").isTextual(),
                "a changed URL restarts the pods");

        Settings settings = new ConfigResolver(containerEnvironment(manifests), Map.of(Options.DATA_DIR, tmp.toString())).resolve();
        assertEquals("rowan@db.example.org:5432/rowan", settings.get(Options.DATABASE_URL).describe());
    }

    @Test
    void theNotesGiveTheSetupCommandsOfTheDocs() throws IOException {
        String notes = new Helm(CHART).install().withName("rowan").withNamespace("rowan").withValuesFile(docsValuesFile("rowan-values.yaml"))
                .dryRun().withDryRunOption(DryRun.CLIENT).clientOnly().call().getOutput();
        assertTrue(docs().contains("helm install rowan packaging/helm/rowan --namespace rowan --create-namespace -f rowan-values.yaml\n"));
        for (String command : List.of("kubectl --namespace rowan rollout status deployment/rowan",
                "kubectl --namespace rowan logs deployment/rowan | grep 'setup?token='",
                "kubectl --namespace rowan port-forward service/rowan 8000:80")) {
            assertTrue(notes.contains(command), notes);
            assertTrue(docs().contains(command + "\n"), command);
        }
    }

    @Test
    void uninstallKeepsTheVolumeAndTheKeyThatTheDocsDeleteByName() {
        List<JsonNode> manifests = render();
        for (String kind : List.of("PersistentVolumeClaim", "Secret")) {
            JsonNode kept = one(manifests, kind);
            assertEquals("keep", kept.at("/metadata/annotations/helm.sh~1resource-policy").asText(), kind);
        }
        assertTrue(docs().contains("kubectl --namespace rowan delete persistentvolumeclaim/"
                + one(manifests, "PersistentVolumeClaim").at("/metadata/name").asText()
                + " secret/" + one(manifests, "Secret").at("/metadata/name").asText() + "\n"));
    }

    @Test
    void secretsOfYourOwnAreReferencedAndTheChartCreatesNone() {
        assertTrue(docs().contains("kubectl create secret generic rowan-key --namespace rowan --from-literal=secret-key=\"$(openssl rand -base64 32)\""));
        assertTrue(docs().contains("`--set secretKey.existingSecret=rowan-key`"));
        List<JsonNode> manifests = render(Map.of("secretKey.existingSecret", "rowan-key",
                "database.existingSecret", "my-db", "database.existingSecretKey", "url"));
        assertTrue(all(manifests, "Secret").isEmpty());
        JsonNode rowan = container(manifests);
        assertEquals("rowan-key", env(rowan, "ROWAN_SECRET_KEY").at("/valueFrom/secretKeyRef/name").asText());
        assertEquals("secret-key", env(rowan, "ROWAN_SECRET_KEY").at("/valueFrom/secretKeyRef/key").asText());
        assertEquals("my-db", env(rowan, "ROWAN_DATABASE_URL").at("/valueFrom/secretKeyRef/name").asText());
        assertEquals("url", env(rowan, "ROWAN_DATABASE_URL").at("/valueFrom/secretKeyRef/key").asText());
    }

    @Test
    void javaOptionsAndExtraSettingsCanBeChanged() {
        Map<String, String> values = new HashMap<>();
        values.put("javaOpts", "-Xmx512m -XX:+UseSerialGC");
        values.put("extraEnv[0].name", "ROWAN_LOG_LEVEL");
        values.put("extraEnv[0].value", "debug");
        values.put("trustedProxies[0]", "10.0.0.0/8");
        Map<String, String> env = containerEnvironment(render(values));
        assertEquals("-Xmx512m -XX:+UseSerialGC", env.get("JAVA_OPTS"));
        Settings settings = new ConfigResolver(env, Map.of(Options.DATA_DIR, tmp.toString())).resolve();
        assertEquals("debug", settings.get(Options.LOG_LEVEL));
        assertEquals(1, settings.get(Options.TRUSTED_PROXIES).size());
    }
}
