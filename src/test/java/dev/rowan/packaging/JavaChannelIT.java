package dev.rowan.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rowan.packaging.ProcessOutput.Result;
import dev.rowan.testing.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Java channel as a person uses it: target/rowan-&lt;version&gt;.tar.gz from this build, unpacked and
 * started with bin/rowan on JDK 17 and JDK 25, run as the example systemd unit would run it, updated
 * and uninstalled with the commands of docs/install/java.md, which must be exactly the commands here.
 * Runs after `package` (failsafe), since it needs the tarball.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JavaChannelIT {
    private static final Path PROJECT = Path.of(System.getProperty("rowan.projectDir", "."));
    private static final String VERSION = System.getProperty("rowan.version");
    /** The version the update section of the page installs: any later one will do. */
    private static final String NEXT = Channels.nextMinor(VERSION);
    private static final Path TARBALL = PROJECT.resolve("target/rowan-" + VERSION + ".tar.gz");
    private static final Path INSTALL_PAGE = PROJECT.resolve("docs/install/java.md");
    /** The JDK running this test (17, as the build runs), for the launcher's tests that need a real Java. */
    private static final String TEST_JDK = System.getProperty("java.home");

    // The commands of docs/install/java.md, as the page shows them.
    private static final String EXTRACT = "tar -xzf rowan-" + VERSION + ".tar.gz";
    private static final String CD = "cd rowan-" + VERSION;
    private static final String START = "bin/rowan";
    private static final String HELP = "bin/rowan --help";
    private static final String VERSION_COMMAND = "bin/rowan version";
    private static final String CHECK = "bin/rowan check";
    private static final String CONFIG_SHOW = "bin/rowan config show";
    private static final String UNINSTALL_PLAIN = "rm -rf rowan-" + VERSION + " ~/.local/share/rowan";

    private static final String SERVICE_EXTRACT = "tar -xzf rowan-" + VERSION + ".tar.gz -C /opt";
    private static final String SERVICE_LINK = "ln -sfn /opt/rowan-" + VERSION + " /opt/rowan";
    private static final String CONF_DIR = "install -d -m 0755 /etc/rowan";
    private static final String CONF_FILE = "install -m 0640 /opt/rowan/conf/rowan.conf.example /etc/rowan/rowan.conf";
    private static final String UNIT_COPY = "cp /opt/rowan/systemd/rowan.service /etc/systemd/system/rowan.service";
    private static final String SERVICE_CHECK = "runuser -u rowan -- env ROWAN_DATA_DIR=/var/lib/rowan /opt/rowan/bin/rowan check --config-file /etc/rowan/rowan.conf";
    private static final String UPDATE_EXTRACT = "tar -xzf rowan-" + NEXT + ".tar.gz -C /opt";
    private static final String UPDATE_LINK = "ln -sfn /opt/rowan-" + NEXT + " /opt/rowan";
    private static final String UNINSTALL_UNIT = "rm /etc/systemd/system/rowan.service";
    private static final String UNINSTALL_OPT = "rm -rf /opt/rowan /opt/rowan-[0-9]*";
    private static final String UNINSTALL_CONF = "rm -rf /etc/rowan";
    private static final String UNINSTALL_DATA = "rm -rf /var/lib/rowan";

    /** Commands of the page that change the machine itself (users, systemd): what this test does instead. */
    private static final Map<String, String> NOT_RUN = Map.of(
            "useradd --system --home-dir /var/lib/rowan --shell /usr/sbin/nologin rowan", "no user is created on the test machine: Rowan runs as the test's user",
            "chgrp rowan /etc/rowan/rowan.conf", "there is no user rowan here",
            "systemctl daemon-reload", "no systemd here: the unit is checked with systemd-analyze verify",
            "systemctl enable --now rowan", "the unit's ExecStart is run with its Environment=",
            "journalctl -u rowan", "the console output of ExecStart is read instead",
            "systemctl restart rowan", "ExecStart is stopped and run again",
            "systemctl disable --now rowan", "ExecStart is stopped",
            "userdel rowan", "there is no user rowan here");

    @TempDir
    Path tmp;

    /** The tarball unpacked once, for the launcher's own tests. */
    private Path unpacked;

    @BeforeAll
    void unpackTheTarball(@TempDir Path shared) {
        assertTrue(Files.isRegularFile(TARBALL), TARBALL + " is missing: the tarball is built by `mvn package`");
        Result r = run(shared, Map.of(), "tar", "-xzf", TARBALL.toString());
        assertEquals(0, r.exit(), r.output());
        unpacked = shared.resolve("rowan-" + VERSION);
    }

    /** Links out of the temporary directory go first: JUnit would otherwise warn about each while cleaning up. */
    @AfterEach
    void removeSymlinks() throws IOException {
        try (Stream<Path> all = Files.walk(tmp)) {
            for (Path p : all.filter(Files::isSymbolicLink).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }

    @Test
    void theTarballHoldsTheLauncherTheJarThisBuildMadeASampleConfigAndTheUnit() throws IOException {
        Result listing = run(tmp, Map.of(), "tar", "-tvzf", TARBALL.toString());
        assertEquals(0, listing.exit(), listing.output());
        Map<String, String> modes = new TreeMap<>();
        for (String line : listing.output().strip().split("\n")) {
            String[] f = line.trim().split("\\s+");
            modes.put(f[f.length - 1], f[0]);
        }
        String base = "rowan-" + VERSION + "/";
        assertEquals(Map.of(base + "bin/rowan", "-rwxr-xr-x", base + "lib/rowan.jar", "-rw-r--r--",
                base + "conf/rowan.conf.example", "-rw-r--r--", base + "systemd/rowan.service", "-rw-r--r--",
                base + "README", "-rw-r--r--"), modes);
        assertEquals(-1, Files.mismatch(PROJECT.resolve("target/rowan.jar"), unpacked.resolve("lib/rowan.jar")),
                "lib/rowan.jar is the jar this build produced");
        assertEquals(-1, Files.mismatch(PROJECT.resolve("packaging/java/bin/rowan"), unpacked.resolve("bin/rowan")));
    }

    /** The page's first commands, on each JDK: unpack, start, setup link, the commands, uninstall. */
    @ParameterizedTest(name = "Java {0}")
    @CsvSource({"17, /usr/lib/jvm/java-17-openjdk-amd64", "25, /usr/lib/jvm/temurin-25-jdk-amd64"})
    void unpackedRowanStartsAndAnswersOnEachJdk(String feature, String javaHome) throws IOException, InterruptedException {
        Path jdk = Path.of(javaHome);
        assumeTrue(Files.isExecutable(jdk.resolve("bin/java")), "no JDK " + feature + " at " + jdk + ": the tarball is not tested on it here");
        Path downloads = Files.createDirectories(tmp.resolve("downloads"));
        Files.createSymbolicLink(downloads.resolve(TARBALL.getFileName()), TARBALL);
        Path xdg = tmp.resolve("xdg");
        Path dataDir = xdg.resolve("rowan");
        int port = FreePort.find();
        // the default data directory, moved under the test's own directory; any port that is free
        Map<String, String> env = Map.of("JAVA_HOME", javaHome, "XDG_DATA_HOME", xdg.toString(), "ROWAN_HTTP_PORT", Integer.toString(port));

        Result extracted = sh(downloads, env, EXTRACT);
        assertEquals(0, extracted.exit(), extracted.output());
        Path home = downloads.resolve("rowan-" + VERSION);
        try (Running rowan = Running.start(downloads, env, CD + " && exec " + START)) {
            rowan.awaitReady(port);
            assertTrue(rowan.output().contains("localhost:" + port + "/setup?token="), rowan.output());
            assertTrue(rowan.output().contains("Data directory:    " + dataDir), rowan.output());
            List<String> cmdline = rowan.commandLine();
            assertEquals(jdk.resolve("bin/java").toString(), cmdline.get(0), "JAVA_HOME's java runs Rowan: " + cmdline);
            assertTrue(cmdline.containsAll(List.of("-Xmx256m", "-XX:+UseSerialGC")), "the memory defaults: " + cmdline);
            assertEquals(List.of("-jar", home.resolve("lib/rowan.jar").toString()), cmdline.subList(cmdline.size() - 2, cmdline.size()));
        }

        Result help = sh(home, env, HELP);
        assertEquals(0, help.exit(), help.output());
        assertTrue(help.output().startsWith("Usage: rowan "), help.output());
        Result version = sh(home, env, VERSION_COMMAND);
        assertEquals(0, version.exit(), version.output());
        assertTrue(version.output().contains("Rowan " + VERSION) && version.output().contains("Java " + feature + "."), version.output());
        Result check = sh(home, env, CHECK);
        assertEquals(0, check.exit(), check.output());
        assertTrue(check.output().contains("ok    Java " + feature + ".") && check.output().contains("All checks passed."), check.output());
        Result config = sh(home, env, CONFIG_SHOW);
        assertEquals(0, config.exit(), config.output());
        assertTrue(config.output().matches("(?s).*http\\.port\\s+= " + port + "\\s+from environment variable ROWAN_HTTP_PORT.*"), config.output());

        Result removed = sh(downloads, env, UNINSTALL_PLAIN.replace("~/.local/share/rowan", dataDir.toString()));
        assertEquals(0, removed.exit(), removed.output());
        assertFalse(Files.exists(home), "the unpacked directory is gone");
        assertFalse(Files.exists(dataDir), "the data directory is gone");
    }

    @Test
    void javaOlderThan17IsRefusedWithWhatToInstall() throws IOException {
        for (String old : List.of("11.0.2", "1.8.0_402")) {
            Path fake = fakeJava(tmp.resolve("jdk-" + old), old);
            Result r = launch(Map.of("JAVA_HOME", fake.toString()), "version");
            assertEquals(1, r.exit(), r.output());
            assertEquals("rowan: Rowan needs Java 17 or newer, but " + fake + "/bin/java is Java " + old
                    + ". Install Java 17 or newer (e.g. apt-get install openjdk-17-jre-headless) or set JAVA_HOME to one.\n", r.output());
        }
    }

    @Test
    void missingJavaIsExplainedInOneLine() throws IOException {
        // a PATH with the tools the launcher uses, but no java
        Path tools = Files.createDirectories(tmp.resolve("tools"));
        for (String tool : List.of("dirname", "readlink", "sed", "head")) {
            Files.createSymbolicLink(tools.resolve(tool), which(tool));
        }
        Result none = launch(Map.of("PATH", tools.toString()), "version");
        assertEquals(1, none.exit(), none.output());
        assertEquals("rowan: Java not found: JAVA_HOME is unset and there is no java on PATH. "
                + "Install Java 17 or newer (e.g. apt-get install openjdk-17-jre-headless) or set JAVA_HOME to one.\n", none.output());

        Path empty = Files.createDirectories(tmp.resolve("not-a-jdk"));
        Result wrongHome = launch(Map.of("JAVA_HOME", empty.toString()), "version");
        assertEquals(1, wrongHome.exit(), wrongHome.output());
        assertTrue(wrongHome.output().startsWith("rowan: JAVA_HOME is " + empty + " but " + empty + "/bin/java is not an executable."),
                wrongHome.output());
        assertEquals(1, wrongHome.output().lines().count(), wrongHome.output());

        Path broken = Files.createDirectories(tmp.resolve("broken-jdk/bin"));
        Files.writeString(broken.resolve("java"), "#!/bin/sh\necho 'Error: could not open jvm.cfg' >&2\nexit 1\n");
        Files.setPosixFilePermissions(broken.resolve("java"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Result unknown = launch(Map.of("JAVA_HOME", broken.getParent().toString()), "version");
        assertEquals(1, unknown.exit(), unknown.output());
        assertEquals("rowan: could not tell which Java " + broken.resolve("java") + " is (java -version printed no version). "
                + "Install Java 17 or newer (e.g. apt-get install openjdk-17-jre-headless) or set JAVA_HOME to one.\n", unknown.output());
    }

    /** A stand-in java that prints its arguments shows exactly what the launcher runs, without starting a JVM. */
    @Test
    void argumentsPassThroughAndJavaOptsReplaceTheDefaultsTheyChoose() throws IOException {
        Path fake = fakeJava(tmp.resolve("jdk-17"), "17.0.1");
        String jar = unpacked.resolve("lib/rowan.jar").toString();
        Files.createFile(tmp.resolve("matches-a-star")); // JAVA_OPTS' * stays a *, even where it could match a file

        assertEquals(List.of("-Xmx256m", "-XX:+UseSerialGC", "-jar", jar, "config", "show", "two words", ""),
                launch(Map.of("JAVA_HOME", fake.toString()), "config", "show", "two words", "").lines());
        assertEquals(List.of("-Xmx1g", "-XX:+UseG1GC", "-jar", jar, "check"),
                launch(Map.of("JAVA_HOME", fake.toString(), "JAVA_OPTS", "-Xmx1g -XX:+UseG1GC"), "check").lines());
        assertEquals(List.of("-XX:+UseSerialGC", "-XX:MaxRAMPercentage=50", "-Dpattern=*", "-jar", jar),
                launch(Map.of("JAVA_HOME", fake.toString(), "JAVA_OPTS", "-XX:MaxRAMPercentage=50 -Dpattern=*"), new String[0]).lines());
        assertEquals(List.of("-Xmx256m", "-jar", jar),
                launch(Map.of("JAVA_HOME", fake.toString(), "JDK_JAVA_OPTIONS", "-XX:+UseParallelGC"), new String[0]).lines(),
                "java itself reads JDK_JAVA_OPTIONS: a collector chosen there must not meet a second one");
        assertEquals(List.of("-Xmx256m", "-XX:+UseSerialGC", "-Dsign=-Xmx", "-jar", jar),
                launch(Map.of("JAVA_HOME", fake.toString(), "JAVA_OPTS", "-Dsign=-Xmx"), new String[0]).lines(),
                "only an option that sets the heap counts, not one that mentions it");
    }

    @Test
    void aCollectorChosenInJavaOptsRunsOnARealJvm() {
        // With the default -XX:+UseSerialGC also given, Java would stop: "Multiple garbage collectors selected".
        Result r = launch(Map.of("JAVA_HOME", TEST_JDK, "JAVA_OPTS", "-XX:+UseG1GC -Xmx128m"), "version");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().startsWith("Rowan " + VERSION + "\n"), r.output());
    }

    @Test
    void theLauncherFindsItsJarThroughSymlinks() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("usr/local/bin"));
        Path hop = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(hop.resolve("rowan-launcher"), unpacked.resolve("bin/rowan"));
        Files.createSymbolicLink(bin.resolve("rowan"), Path.of("../../../elsewhere/rowan-launcher")); // relative, and a second hop
        Result r = run(tmp, Map.of("JAVA_HOME", TEST_JDK, "PATH", bin + ":/usr/bin:/bin"), "sh", "-c", "rowan version");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().startsWith("Rowan " + VERSION + "\n"), r.output());
    }

    @Test
    void theLauncherIsShellcheckClean() {
        Path shellcheck = Path.of("/usr/bin/shellcheck");
        assumeTrue(Files.isExecutable(shellcheck), "shellcheck is not installed (apt-get install shellcheck)");
        Result r = run(tmp, Map.of(), shellcheck.toString(), PROJECT.resolve("packaging/java/bin/rowan").toString());
        assertEquals(0, r.exit(), r.output());
    }

    /** Every `# key = value` line of the sample, uncommented, is a valid setting read from the file. */
    @Test
    void theSampleConfigNamesRealSettingsWithValidExamples() throws IOException {
        Channels.assertExamplesAreValidSettings(unpacked.resolve("conf/rowan.conf.example"), tmp,
                args -> launch(Map.of("JAVA_HOME", TEST_JDK), args.toArray(String[]::new)));
    }

    @Test
    void theUnitPassesSystemdAnalyzeVerify() throws IOException {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed: the unit's syntax is not checked here");
        // ExecStart must name an executable, so the unit's /opt/rowan becomes the unpacked directory
        String unit = Files.readString(unpacked.resolve("systemd/rowan.service")).replace("/opt/rowan/", unpacked + "/");
        Path copy = Files.writeString(tmp.resolve("rowan.service"), unit);
        Result r = run(tmp, Map.of(), analyze.toString(), "verify", copy.toString());
        assertEquals(0, r.exit(), r.output());
        assertEquals("", r.output(), "no warning (unknown keys are only warned about)");
    }

    /**
     * The service section of the page under a stand-in root directory: install into /opt, /etc and
     * /var/lib, run the unit's ExecStart with its Environment= (what systemd would start), set up, update
     * to a newer tarball with the data kept, check a bad setting stops Rowan for good, uninstall.
     */
    @Test
    void asAServiceInstalledUpdatedAndUninstalledAsThePageSays() throws IOException, InterruptedException {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("opt"));
        Files.createDirectories(root.resolve("etc/systemd/system"));
        Files.createDirectories(root.resolve("var/lib"));
        Path downloads = Files.createDirectories(tmp.resolve("downloads"));
        Files.createSymbolicLink(downloads.resolve(TARBALL.getFileName()), TARBALL);

        for (String command : List.of(SERVICE_EXTRACT, SERVICE_LINK, CONF_DIR, CONF_FILE, UNIT_COPY)) {
            Result r = sh(downloads, Map.of(), rooted(command, root));
            assertEquals(0, r.exit(), command + "\n" + r.output());
        }
        assertEquals(root.resolve("opt/rowan-" + VERSION), root.resolve("opt/rowan").toRealPath());
        Path conf = root.resolve("etc/rowan/rowan.conf");
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(conf)));
        assertEquals(Files.readString(PROJECT.resolve("packaging/java/conf/rowan.conf.example")), Files.readString(conf));
        Path unit = root.resolve("etc/systemd/system/rowan.service");

        // "Configuring Rowan": a line in /etc/rowan/rowan.conf (a free port rather than 8000)
        int port = FreePort.find();
        Files.writeString(conf, Files.readString(conf) + "http.port = " + port + "\n");
        int portLine = Files.readAllLines(conf).size();
        Path dataDir = root.resolve("var/lib/rowan");
        try (Running rowan = startUnit(unit, root)) {
            rowan.awaitReady(port);
            assertTrue(rowan.output().contains("Data directory:    " + dataDir), rowan.output());
            assertTrue(rowan.output().contains("http.port = " + port + "  (config file " + conf + ", line " + portLine + ")"), rowan.output());
            assertTrue(rowan.commandLine().containsAll(List.of("-Xmx256m", "-XX:+UseSerialGC")), rowan.commandLine().toString());
            Channels.setUpAdmin(port, rowan.output());
            Result check = sh(downloads, Map.of(), rooted(SERVICE_CHECK, root));
            assertEquals(0, check.exit(), check.output());
            assertTrue(check.output().contains("All checks passed."), check.output());
            assertStoppedAsTheUnitExpects(rowan, unit);
        }

        // Update: a newer tarball (this one, under the next version's name) replaces the link's target
        repack(downloads.resolve("rowan-" + NEXT + ".tar.gz"), "rowan-" + NEXT);
        for (String command : List.of(UPDATE_EXTRACT, UPDATE_LINK)) {
            Result r = sh(downloads, Map.of(), rooted(command, root));
            assertEquals(0, r.exit(), command + "\n" + r.output());
        }
        assertEquals(root.resolve("opt/rowan-" + NEXT), root.resolve("opt/rowan").toRealPath());
        assertFalse(Files.exists(root.resolve("opt/rowan-" + VERSION + "/rowan-" + NEXT), java.nio.file.LinkOption.NOFOLLOW_LINKS),
                "ln -sfn replaced the link instead of adding one inside the old version's directory");
        try (Running rowan = startUnit(unit, root)) {
            rowan.awaitReady(port);
            assertTrue(rowan.commandLine().contains(root.resolve("opt/rowan-" + NEXT + "/lib/rowan.jar").toString()), rowan.commandLine().toString());
            assertFalse(rowan.output().contains("setup?token="), "the administrator is still there:\n" + rowan.output());
            Channels.assertAdminSignsIn(port);
            assertStoppedAsTheUnitExpects(rowan, unit);
        }

        // A bad setting: Rowan stops with the status the unit does not restart on, naming the setting
        Files.writeString(conf, Files.readString(conf).replace("http.port = " + port, "http.port = 70000"));
        try (Running rowan = startUnit(unit, root)) {
            int exit = rowan.awaitExit();
            assertEquals(Channels.unitSetting(unit, "RestartPreventExitStatus"), List.of(Integer.toString(exit)), rowan.output());
            assertTrue(rowan.output().contains("http.port") && rowan.output().contains("70000"), rowan.output());
        }

        for (String command : List.of(UNINSTALL_UNIT, UNINSTALL_OPT, UNINSTALL_CONF, UNINSTALL_DATA)) {
            Result r = sh(downloads, Map.of(), rooted(command, root));
            assertEquals(0, r.exit(), command + "\n" + r.output());
        }
        try (Stream<Path> left = Stream.of(root.resolve("opt"), root.resolve("etc"), root.resolve("var/lib")).flatMap(JavaChannelIT::walk)) {
            assertEquals(List.of("etc", "etc/systemd", "etc/systemd/system", "opt", "var/lib"),
                    left.map(p -> root.relativize(p).toString()).sorted().collect(Collectors.toList()), "nothing of Rowan is left");
        }
    }

    /** The page shows exactly the commands this test runs, plus those it stands in for (NOT_RUN). */
    @Test
    void theInstallPageShowsTheCommandsThisTestRuns() throws IOException {
        Channels.assertPageShowsExactly(INSTALL_PAGE, List.of(EXTRACT, CD, START, HELP, VERSION_COMMAND, CHECK, CONFIG_SHOW, UNINSTALL_PLAIN,
                SERVICE_EXTRACT, SERVICE_LINK, CONF_DIR, CONF_FILE, UNIT_COPY, SERVICE_CHECK, UPDATE_EXTRACT, UPDATE_LINK,
                UNINSTALL_UNIT, UNINSTALL_OPT, UNINSTALL_CONF, UNINSTALL_DATA), NOT_RUN.keySet());
    }

    // --- helpers -------------------------------------------------------------------------------

    /** The page's command with the machine's directories moved under {@code root}; run as the test's user. */
    private static String rooted(String command, Path root) {
        return command.replace("runuser -u rowan -- ", "")
                .replaceAll("(?<=^|[\\s=])/(opt|etc|var)(?=[/\\s]|$)", Matcher.quoteReplacement(root.toString()) + "/$1");
    }

    /**
     * What systemd would start: the unit's ExecStart with its Environment= and a service's clean
     * environment (PATH without JAVA_HOME, so bin/rowan takes java from the PATH), its paths under root.
     */
    private Running startUnit(Path unit, Path root) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("HOME", root.resolve("var/lib/rowan").toString());
        for (String assignment : Channels.unitSetting(unit, "Environment")) {
            String[] kv = rooted(assignment, root).split("=", 2);
            env.put(kv[0], kv[1]);
        }
        List<String> execStart = Channels.unitSetting(unit, "ExecStart");
        assertEquals(1, execStart.size(), execStart.toString());
        return Running.startClean(tmp, env, rooted(execStart.get(0), root).split(" "));
    }

    /** systemctl stop sends SIGTERM; the unit counts the exit status as success (SuccessExitStatus), or 0. */
    private static void assertStoppedAsTheUnitExpects(Running rowan, Path unit) throws IOException {
        int exit = rowan.stop();
        List<String> success = new ArrayList<>(Channels.unitSetting(unit, "SuccessExitStatus"));
        success.add("0");
        assertTrue(success.contains(Integer.toString(exit)), "exit status " + exit + " after SIGTERM; the unit accepts " + success);
    }

    private void repack(Path tarball, String topDirectory) {
        Path work = tmp.resolve("repack");
        Result r = run(tmp, Map.of(), "sh", "-c", "mkdir -p \"$1\" && cp -a \"$2\" \"$1/$3\" && tar -C \"$1\" -cf - \"$3\" | gzip -1 > \"$4\"",
                "sh", work.toString(), unpacked.toString(), topDirectory, tarball.toString());
        assertEquals(0, r.exit(), r.output());
    }

    private Result launch(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(unpacked.resolve("bin/rowan").toString()));
        command.addAll(Arrays.asList(args));
        return run(tmp, env, command.toArray(String[]::new));
    }

    private static Path fakeJava(Path home, String version) throws IOException {
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n"
                + "if [ \"$1\" = -version ]; then echo 'openjdk version \"" + version + "\" 2019-01-15' >&2; exit 0; fi\n"
                + "for a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    private static Path which(String tool) {
        return Stream.of("/usr/bin", "/bin").map(d -> Path.of(d, tool)).filter(Files::isExecutable).findFirst().orElseThrow();
    }

    private static Stream<Path> walk(Path p) {
        try {
            return Files.walk(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Result sh(Path dir, Map<String, String> env, String script) {
        return run(dir, env, "sh", "-c", script);
    }

    /** Runs a command to its end (at most a minute) with the test's environment cleared of Java and Rowan settings. */
    private static Result run(Path dir, Map<String, String> env, String... command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        clearInherited(pb.environment());
        pb.environment().putAll(env);
        return ProcessOutput.run(pb, Duration.ofSeconds(60));
    }

    /** The settings this test gives must be the only ones: none may come from the machine running the build. */
    private static void clearInherited(Map<String, String> env) {
        env.keySet().removeIf(k -> k.startsWith("ROWAN_") || List.of("JAVA_HOME", "JAVA_OPTS", "JDK_JAVA_OPTIONS",
                "_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "XDG_DATA_HOME", "DATABASE_URL", "PORT").contains(k));
    }


    /** Rowan running in the background; closing it kills it if a test did not stop it. */
    private static final class Running implements AutoCloseable {
        private final Process process;
        private final ProcessOutput output;

        private Running(Process process) {
            this.process = process;
            this.output = new ProcessOutput(process.getInputStream());
        }

        static Running start(Path dir, Map<String, String> env, String script) throws IOException {
            ProcessBuilder pb = new ProcessBuilder("sh", "-c", script).directory(dir.toFile()).redirectErrorStream(true);
            clearInherited(pb.environment());
            pb.environment().putAll(env);
            return new Running(pb.start());
        }

        /** Starts with exactly {@code env}, as systemd starts a service. */
        static Running startClean(Path dir, Map<String, String> env, String... command) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().putAll(env);
            return new Running(pb.start());
        }

        String output() {
            return output.toString();
        }

        void awaitReady(int port) throws InterruptedException {
            output.awaitReady(process, port);
        }

        /** The running JVM's command line: bin/rowan exec's java, so the process is the JVM itself. */
        List<String> commandLine() {
            return Channels.commandLine(process.toHandle());
        }

        int awaitExit() throws InterruptedException {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "Rowan did not stop within 60 s:\n" + output());
            output.join();
            return process.exitValue();
        }

        /** Like systemctl stop: SIGTERM, then the exit status. */
        int stop() {
            process.destroy();
            try {
                return awaitExit();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }
}
