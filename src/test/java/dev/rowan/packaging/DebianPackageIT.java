package dev.rowan.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rowan.packaging.ProcessOutput.Result;
import dev.rowan.secret.SecretKeys;
import dev.rowan.testing.FreePort;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian channel: target/debian/rowan_&lt;version&gt;_all.deb and the apt repository tree
 * target/debian/repo that `mvn package` built (packaging/debian/build.sh), checked as files, with
 * lintian, and installed, set up, updated, removed and purged with the commands of
 * docs/install/debian.md, which must be exactly the commands here.
 *
 * <p>The tests that install run on THIS machine, not in a container: they need root and a Debian
 * system (apt, dpkg, runuser) without systemd running, and they add the user rowan, /etc/rowan,
 * /var/lib/rowan and an apt source for as long as they run. They refuse to start (fail) when any of
 * those exists already, so they never touch an installation they did not make, and they always
 * remove what they made. `apt-get update` refreshes only the Rowan source (the machine's other
 * lists stay as they are, and nothing is fetched from the network); the Java dependency is met by
 * the machine's Java 17 package.
 */
class DebianPackageIT {
    private static final Path PROJECT = Path.of(System.getProperty("rowan.projectDir", "."));
    private static final String VERSION = System.getProperty("rowan.version");
    /** The version the update installs: a later build of the same jar. */
    private static final String NEXT = Channels.nextMinor(VERSION);
    private static final Path JAR = PROJECT.resolve("target/rowan.jar");
    private static final Path BUILT = PROJECT.resolve("target/debian");
    private static final Path DEB = BUILT.resolve("rowan_" + VERSION + "_all.deb");
    private static final Path PACKAGING = PROJECT.resolve("packaging/debian");
    private static final Path INSTALL_PAGE = PROJECT.resolve("docs/install/debian.md");
    /** systemd's PATH for services: the Java that runs Rowan is the one the package depends on. */
    private static final String SERVICE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** Where the page says the repository was copied to; the tests use their own copy instead. */
    private static final String PAGE_REPO = "/srv/rowan-apt";

    // The commands of docs/install/debian.md, as the page shows them.
    private static final String KEYRING_DIR = "install -d -m 0755 /etc/apt/keyrings";
    private static final String KEYRING = "install -m 0644 /srv/rowan-apt/rowan-archive-keyring.gpg /etc/apt/keyrings/rowan-archive-keyring.gpg";
    private static final String SOURCE = "echo \"deb [signed-by=/etc/apt/keyrings/rowan-archive-keyring.gpg] file:/srv/rowan-apt stable main\""
            + " > /etc/apt/sources.list.d/rowan.list";
    private static final String UPDATE = "apt-get update";
    private static final String INSTALL = "apt-get install rowan";
    private static final String PRE_INSTALL_CONF = "install -D -m 0600 /dev/null /etc/rowan/rowan.conf";
    private static final String SERVICE_ENV = "runuser -u rowan -- env ROWAN_DATA_DIR=/var/lib/rowan ROWAN_CONFIG_FILE=/etc/rowan/rowan.conf";
    private static final String START = SERVICE_ENV + " /usr/bin/rowan serve";
    private static final String CHECK = SERVICE_ENV + " /usr/bin/rowan check";
    private static final String REMOVE = "apt-get remove rowan";
    private static final String PURGE = "apt-get purge rowan";
    private static final String FORGET_REPOSITORY = "rm /etc/apt/sources.list.d/rowan.list /etc/apt/keyrings/rowan-archive-keyring.gpg";

    /** Commands of the page that need systemd or a person: what this test does instead. */
    private static final Map<String, String> NOT_RUN = Map.of(
            "editor /etc/rowan/rowan.conf", "the test writes its settings into the file",
            "journalctl -u rowan", "no systemd here: the output of START, the unit's ExecStart, is read instead",
            "systemctl restart rowan", "START is stopped and run again");

    private static final Path SOURCE_FILE = Path.of("/etc/apt/sources.list.d/rowan.list");
    private static final Path KEYRING_FILE = Path.of("/etc/apt/keyrings/rowan-archive-keyring.gpg");
    private static final Path CONF = Path.of("/etc/rowan/rowan.conf");
    private static final Path DATA = Path.of("/var/lib/rowan");
    private static final Path OWN_CONF = DATA.resolve("rowan.conf");
    private static final Path UNIT = Path.of("/lib/systemd/system/rowan.service");

    @TempDir
    Path tmp;

    /** Whether the page's first command made /etc/apt/keyrings, so that cleaning up removes it again. */
    private boolean madeKeyringDirectory;

    /** The package must be there for every test, also where it could not be built: the message says why. */
    @BeforeAll
    static void thePackageWasBuilt() {
        assertTrue(Files.isRegularFile(DEB), DEB + " was not built: `mvn package` skips the Debian package when dpkg-deb, "
                + "apt-ftparchive or gpg is missing (apt-get install dpkg apt-utils gpg; .ci/run installs them)");
    }

    // --- the package and the repository as files --------------------------------------------------

    @Test
    void thePackageHoldsTheJarThisBuildMadeLaidOutTheDebianWay() throws IOException {
        Result listing = run("dpkg-deb", "--contents", DEB.toString());
        assertEquals(0, listing.exit(), listing.output());
        Map<String, String> entries = new TreeMap<>();
        for (String line : listing.output().strip().split("\n")) {
            // drwxr-xr-x root/root 0 2026-11-21 08:00 ./usr/  (a link adds: -> target)
            String[] f = line.trim().split("\\s+", 6);
            String path = f[5].replaceFirst("^\\./", "/");
            if (!path.endsWith("/")) {
                entries.put(path, f[0] + " " + f[1]);
            }
        }
        assertEquals(new TreeMap<>(Map.of(
                "/usr/bin/rowan -> ../share/rowan/bin/rowan", "lrwxrwxrwx root/root",
                "/usr/share/rowan/bin/rowan", "-rwxr-xr-x root/root",
                "/usr/share/rowan/lib/rowan.jar", "-rw-r--r-- root/root",
                "/usr/share/rowan/rowan.conf", "-rw-r--r-- root/root",
                "/lib/systemd/system/rowan.service", "-rw-r--r-- root/root",
                "/usr/share/doc/rowan/copyright", "-rw-r--r-- root/root",
                "/usr/share/doc/rowan/changelog.gz", "-rw-r--r-- root/root",
                "/usr/share/man/man1/rowan.1.gz", "-rw-r--r-- root/root")), entries);

        Result fields = run("dpkg-deb", "--field", DEB.toString(), "Package", "Version", "Architecture", "Depends");
        assertEquals(0, fields.exit(), fields.output());
        assertEquals("Package: rowan\nVersion: " + VERSION + "\nArchitecture: all\n"
                + "Depends: adduser, default-jre-headless (>= 2:1.17) | java17-runtime-headless\n", fields.output());

        Path root = tmp.resolve("root");
        Result extracted = run("dpkg-deb", "--extract", DEB.toString(), root.toString());
        assertEquals(0, extracted.exit(), extracted.output());
        assertEquals(-1, Files.mismatch(JAR, root.resolve("usr/share/rowan/lib/rowan.jar")), "the jar is the one this build produced");
        assertEquals(-1, Files.mismatch(PROJECT.resolve("packaging/java/bin/rowan"), root.resolve("usr/share/rowan/bin/rowan")),
                "the launcher is the Java channel's, unchanged");
        assertEquals(-1, Files.mismatch(PACKAGING.resolve("rowan.conf"), root.resolve("usr/share/rowan/rowan.conf")));
        assertEquals(-1, Files.mismatch(PACKAGING.resolve("rowan.service"), root.resolve("lib/systemd/system/rowan.service")));

        Path analyze = Path.of("/usr/bin/systemd-analyze");
        if (Files.isExecutable(analyze)) {
            // ExecStart must name an executable: the unit's /usr/bin/rowan becomes the extracted launcher;
            // its man page (Documentation=) is not installed here
            String unit = Files.readString(root.resolve("lib/systemd/system/rowan.service"))
                    .replace("/usr/bin/rowan", root.resolve("usr/share/rowan/bin/rowan").toString());
            Result verify = run(analyze.toString(), "verify", "--man=no", Files.writeString(tmp.resolve("rowan.service"), unit).toString());
            assertEquals(0, verify.exit(), verify.output());
            assertEquals("", verify.output(), "no warning (unknown keys are only warned about)");
        }
    }

    @Test
    void theRepositoryIndexesThePackageAndIsSignedWithItsOwnKey() throws IOException {
        Path repo = BUILT.resolve("repo");
        try (Stream<Path> files = Files.walk(repo)) {
            assertEquals(List.of("dists/stable/InRelease", "dists/stable/Release", "dists/stable/Release.gpg",
                            "dists/stable/main/binary-all/Packages", "dists/stable/main/binary-all/Packages.gz",
                            "pool/main/r/rowan/rowan_" + VERSION + "_all.deb", "rowan-archive-keyring.gpg"),
                    files.filter(Files::isRegularFile).map(p -> repo.relativize(p).toString()).sorted().collect(Collectors.toList()));
        }
        Path pooled = repo.resolve("pool/main/r/rowan/rowan_" + VERSION + "_all.deb");
        assertEquals(-1, Files.mismatch(DEB, pooled));

        String packages = Files.readString(repo.resolve("dists/stable/main/binary-all/Packages"));
        assertTrue(packages.contains("\nFilename: pool/main/r/rowan/rowan_" + VERSION + "_all.deb\n"), packages);
        assertTrue(packages.contains("\nSize: " + Files.size(pooled) + "\n"), packages);
        assertTrue(packages.contains("\nSHA256: " + sha256(pooled) + "\n"), packages);

        String release = Files.readString(repo.resolve("dists/stable/Release"));
        for (String name : List.of("Packages", "Packages.gz")) {
            Path index = repo.resolve("dists/stable/main/binary-all").resolve(name);
            assertTrue(release.matches("(?s).*\\nSHA256:\\n(?: [^\\n]*\\n)*? " + sha256(index) + " +" + Files.size(index)
                    + " main/binary-all/" + Pattern.quote(name) + "\\n.*"), name + " in\n" + release);
        }
        assertTrue(release.lines().collect(Collectors.toList()).containsAll(List.of("Architectures: all", "Suite: stable", "Components: main")), release);

        Path keyring = repo.resolve("rowan-archive-keyring.gpg");
        Result inRelease = run("gpgv", "--keyring", keyring.toString(), repo.resolve("dists/stable/InRelease").toString());
        assertEquals(0, inRelease.exit(), inRelease.output());
        Result detached = run("gpgv", "--keyring", keyring.toString(), repo.resolve("dists/stable/Release.gpg").toString(),
                repo.resolve("dists/stable/Release").toString());
        assertEquals(0, detached.exit(), detached.output());
        String clearsigned = Files.readString(repo.resolve("dists/stable/InRelease"));
        assertEquals(release, clearsigned.substring(clearsigned.indexOf("\n\n") + 2, clearsigned.indexOf("-----BEGIN PGP SIGNATURE-----")),
                "InRelease signs this very Release");

        Result packets = run("gpg", "--list-packets", keyring.toString());
        assertEquals(0, packets.exit(), packets.output());
        assertTrue(packets.output().contains(":public key packet:"), packets.output());
        assertFalse(packets.output().contains("secret"), "only the public key is published:\n" + packets.output());
    }

    /** The hardening and restart policy are the Java channel's example unit's; only paths and the data directory's mode differ. */
    @Test
    void theUnitIsTheJavaChannelsExampleWithThePackagesPaths() throws IOException {
        List<String> differing = List.of("Documentation", "Environment", "ExecStart", "StateDirectoryMode");
        Map<String, List<String>> debian = unitLines(PACKAGING.resolve("rowan.service"));
        Map<String, List<String>> java = unitLines(PROJECT.resolve("packaging/java/systemd/rowan.service"));
        assertEquals(without(java, differing), without(debian, differing));
        assertEquals(Map.of("Documentation", List.of("man:rowan(1)"),
                "Environment", List.of("ROWAN_DATA_DIR=/var/lib/rowan", "ROWAN_CONFIG_FILE=/etc/rowan/rowan.conf"),
                "ExecStart", List.of("/usr/bin/rowan serve"),
                "StateDirectoryMode", List.of("0750")), debian.entrySet().stream().filter(e -> differing.contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    @Test
    void lintianFindsNoErrorsAndNoWarnings() {
        Path lintian = Path.of("/usr/bin/lintian");
        assumeTrue(Files.isExecutable(lintian), "lintian is not installed (apt-get install lintian; .ci/run does)");
        Result r = run(lintian.toString(), "--fail-on", "error", DEB.toString());
        assertEquals(0, r.exit(), r.output());
        List<String> complaints = r.output().lines().filter(l -> l.startsWith("E: ") || l.startsWith("W: ")).collect(Collectors.toList());
        assertEquals(List.of(), complaints, r.output());
    }

    @Test
    void theScriptsAreShellcheckClean() {
        Path shellcheck = Path.of("/usr/bin/shellcheck");
        assumeTrue(Files.isExecutable(shellcheck), "shellcheck is not installed (apt-get install shellcheck)");
        for (String script : List.of("postinst", "prerm", "postrm", "build.sh")) {
            Result r = run(shellcheck.toString(), "--shell=sh", PACKAGING.resolve(script).toString());
            assertEquals(0, r.exit(), script + ":\n" + r.output());
        }
    }

    @Test
    void theBuildRefusesAVersionTheChangelogDoesNotNameOrDebianCannotSpell() {
        Path out = tmp.resolve("out");
        Result unnamed = run("sh", PACKAGING.resolve("build.sh").toString(), NEXT, JAR.toString(), out.toString());
        assertEquals(1, unnamed.exit(), unnamed.output());
        assertEquals("build.sh: the newest entry of " + PACKAGING + "/changelog is for version '" + VERSION + "', not " + NEXT
                + ": add an entry for " + NEXT + " at its top\n", unnamed.output());
        Result snapshot = run("sh", PACKAGING.resolve("build.sh").toString(), NEXT + "-SNAPSHOT", JAR.toString(), out.toString());
        assertEquals(1, snapshot.exit(), snapshot.output());
        assertTrue(snapshot.output().startsWith("build.sh: version " + NEXT + "-SNAPSHOT holds characters a native Debian version cannot"),
                snapshot.output());
        assertFalse(Files.exists(out), "nothing was built");
    }

    /** Every `# key = value` line of /etc/rowan/rowan.conf's default, uncommented, is a valid setting read from the file. */
    @Test
    void theDefaultSettingsFileNamesRealSettingsWithValidExamples() throws IOException {
        Channels.assertExamplesAreValidSettings(PACKAGING.resolve("rowan.conf"), tmp, args -> {
            List<String> command = new ArrayList<>(List.of(javaBin(), "-jar", JAR.toString()));
            command.addAll(args);
            return run(command.toArray(String[]::new));
        });
    }

    @Test
    void theManualPageNamesRowansCommands() throws IOException {
        Result help = run(javaBin(), "-jar", JAR.toString(), "--help");
        assertEquals(0, help.exit(), help.output());
        List<String> commands = help.output().lines().dropWhile(l -> !l.equals("Commands:")).skip(1)
                .takeWhile(l -> !l.isBlank()).filter(l -> l.matches("  \\S.*")).map(l -> l.trim().split("\\s+")[0]).collect(Collectors.toList());
        String page = Files.readString(PACKAGING.resolve("rowan.1"));
        String section = page.substring(page.indexOf(".SH COMMANDS"), page.indexOf(".SH", page.indexOf(".SH COMMANDS") + 1));
        List<String> documented = Pattern.compile("\\.TP\\n\\.B (\\S+)\\n").matcher(section).results().map(m -> m.group(1)).collect(Collectors.toList());
        assertFalse(commands.isEmpty(), help.output());
        assertEquals(commands, documented);
    }

    // --- installed on this machine ------------------------------------------------------------------

    /**
     * The page from start to end: add the repository, install, configure the port, start as the
     * service would and set up, update to a newer package with everything kept, remove, purge.
     */
    @Test
    void installedSetUpUpdatedRemovedAndPurgedAsThePageSays() throws IOException, InterruptedException {
        requireAMachineWithoutRowan();
        Path out = copyOfTheBuild();
        Path repo = out.resolve("repo");
        try {
            addTheRepository(repo);
            Result installed = page(repo, INSTALL);
            assertEquals(0, installed.exit(), installed.output());
            assertEquals("install ok installed " + VERSION, dpkgStatus());

            // What the package installed, and what postinst made
            assertEquals(-1, Files.mismatch(JAR, Path.of("/usr/share/rowan/lib/rowan.jar")), "the jar this build produced");
            assertEquals(Path.of("../share/rowan/bin/rowan"), Files.readSymbolicLink(Path.of("/usr/bin/rowan")));
            String[] user = getent("passwd", "rowan").split(":");
            assertTrue(Integer.parseInt(user[2]) < 1000, "a system user: " + String.join(":", user));
            assertEquals(List.of("/var/lib/rowan", "/usr/sbin/nologin"), List.of(user[5], user[6]));
            assertEquals(getent("group", "rowan").split(":")[2], user[3], "its own group rowan");
            assertOwnerAndMode(CONF, "root", "rowan", "rw-r-----");
            assertEquals(-1, Files.mismatch(PACKAGING.resolve("rowan.conf"), CONF), "the default settings");
            assertOwnerAndMode(DATA, "rowan", "rowan", "rwxr-x---");
            assertOwnerAndMode(OWN_CONF, "rowan", "rowan", "rw-------");
            String key = secretKeyIn(OWN_CONF);
            assertTrue(key.matches("[A-Za-z0-9_-]{43}"), "256 random bits, as Rowan writes them (length " + key.length() + ")");
            assertFalse(installed.output().contains(key), "the key is never printed");
            assertEquals(UNIT, Files.readSymbolicLink(Path.of("/etc/systemd/system/multi-user.target.wants/rowan.service")),
                    "the service is enabled");

            Result check = page(repo, CHECK);
            assertEquals(0, check.exit(), check.output());
            assertTrue(check.output().contains("All checks passed."), check.output());

            // Configuring Rowan: a line in /etc/rowan/rowan.conf (a free port rather than 8000)
            int port = FreePort.find();
            Files.writeString(CONF, Files.readString(CONF) + "http.port = " + port + "\n");
            byte[] settings = Files.readAllBytes(CONF);
            byte[] ownSettings = Files.readAllBytes(OWN_CONF);
            assertEquals(START, serviceCommand(), "the page starts Rowan as the installed unit does");
            try (Running rowan = Running.start(START.split(" "))) {
                rowan.awaitReady(port);
                assertTrue(rowan.output().contains("Data directory:    /var/lib/rowan\n"), rowan.output());
                assertTrue(rowan.output().contains("Secret key:        fingerprint " + SecretKeys.fingerprint(key)
                        + ", from config file /var/lib/rowan/rowan.conf, line 5\n"), "the key postinst made:\n" + rowan.output());
                assertFalse(rowan.output().contains(key), rowan.output());
                ProcessHandle jvm = rowan.jvm();
                assertEquals(Optional.of("rowan"), jvm.info().user());
                List<String> cmdline = Channels.commandLine(jvm);
                assertEquals(List.of("-Xmx256m", "-XX:+UseSerialGC", "-jar", "/usr/share/rowan/lib/rowan.jar", "serve"),
                        cmdline.subList(1, cmdline.size()), cmdline.toString());
                Channels.setUpAdmin(port, rowan.output());
                rowan.stop();
            }
            assertTrue(Files.exists(DATA.resolve("rowan.db")));

            // Update: the same jar as the next version, published to the same repository
            Result built = buildNextVersionInto(out);
            assertEquals(0, built.exit(), built.output());
            Result update = page(repo, UPDATE);
            assertEquals(0, update.exit(), update.output());
            Result upgraded = page(repo, INSTALL);
            assertEquals(0, upgraded.exit(), upgraded.output());
            assertTrue(upgraded.output().contains("Unpacking rowan (" + NEXT + ") over (" + VERSION + ")"), upgraded.output());
            assertEquals("install ok installed " + NEXT, dpkgStatus());
            assertTrue(Arrays.equals(settings, Files.readAllBytes(CONF)), "/etc/rowan/rowan.conf is kept as it was");
            assertTrue(Arrays.equals(ownSettings, Files.readAllBytes(OWN_CONF)), "the secret key is kept, never rewritten");
            assertOwnerAndMode(CONF, "root", "rowan", "rw-r-----");
            assertOwnerAndMode(DATA, "rowan", "rowan", "rwxr-x---");
            try (Running rowan = Running.start(START.split(" "))) {
                rowan.awaitReady(port);
                assertFalse(rowan.output().contains("setup?token="), "the administrator is still there:\n" + rowan.output());
                Channels.assertAdminSignsIn(port);
                rowan.stop();
            }

            // Remove: the program goes; settings, data and the user stay
            Result removed = page(repo, REMOVE);
            assertEquals(0, removed.exit(), removed.output());
            assertEquals("deinstall ok config-files " + NEXT, dpkgStatus());
            for (String gone : List.of("/usr/bin/rowan", "/usr/share/rowan", "/lib/systemd/system/rowan.service")) {
                assertFalse(Files.exists(Path.of(gone), LinkOption.NOFOLLOW_LINKS), gone);
            }
            assertTrue(Arrays.equals(settings, Files.readAllBytes(CONF)));
            assertTrue(Arrays.equals(ownSettings, Files.readAllBytes(OWN_CONF)));
            assertTrue(Files.exists(DATA.resolve("rowan.db")));
            assertFalse(getent("passwd", "rowan").isEmpty(), "the user stays while its files do");

            // Purge: everything Rowan had on this machine goes
            Result purged = page(repo, PURGE);
            assertEquals(0, purged.exit(), purged.output());
            assertEquals("", dpkgStatus(), "dpkg no longer knows rowan");
            assertFalse(Files.exists(Path.of("/etc/rowan")), "/etc/rowan is gone");
            assertFalse(Files.exists(DATA), "/var/lib/rowan is gone");
            assertEquals("", getent("passwd", "rowan"), "the user is gone");
            assertEquals("", getent("group", "rowan"), "the group is gone");
            assertEquals(List.of(), leftoverServiceState(), "no enablement or mask of the service is left");

            Result forgotten = page(repo, FORGET_REPOSITORY);
            assertEquals(0, forgotten.exit(), forgotten.output());
            assertFalse(Files.exists(SOURCE_FILE) || Files.exists(KEYRING_FILE));
        } finally {
            cleanUp(repo);
        }
    }

    /** The tip: settings written before the installation (here a port and a secret key of one's own) are kept and used. */
    @Test
    void settingsWrittenBeforeTheInstallationAreKeptAndUsed() throws IOException, InterruptedException {
        requireAMachineWithoutRowan();
        Path repo = copyOfTheBuild().resolve("repo");
        try {
            addTheRepository(repo);
            Result created = page(repo, PRE_INSTALL_CONF);
            assertEquals(0, created.exit(), created.output());
            assertOwnerAndMode(CONF, "root", "root", "rw-------");
            int port = FreePort.find();
            String key = SecretKeys.generate();
            Files.writeString(CONF, "http.port = " + port + "\nsecret.key = " + key + "\n");
            byte[] settings = Files.readAllBytes(CONF);

            Result installed = page(repo, INSTALL);
            assertEquals(0, installed.exit(), installed.output());
            assertTrue(Arrays.equals(settings, Files.readAllBytes(CONF)), "the file is kept as written");
            assertOwnerAndMode(CONF, "root", "rowan", "rw-r-----");
            assertFalse(Files.exists(OWN_CONF), "no second key is generated beside the one configured");
            try (Running rowan = Running.start(START.split(" "))) {
                rowan.awaitReady(port);
                assertTrue(rowan.output().contains("Secret key:        fingerprint " + SecretKeys.fingerprint(key)
                        + ", from config file /etc/rowan/rowan.conf, line 2\n"), rowan.output());
                rowan.stop();
            }
            Result purged = page(repo, PURGE);
            assertEquals(0, purged.exit(), purged.output());
            assertFalse(Files.exists(Path.of("/etc/rowan")) || Files.exists(DATA));
        } finally {
            cleanUp(repo);
        }
    }

    /** apt itself checks the repository: a signature by another key, or an index changed after signing, is refused. */
    @Test
    void aptRefusesTheRepositorySignedByAnotherKeyOrChangedAfterSigning() throws IOException {
        requireRoot();
        Path repo = copyOfTheBuild().resolve("repo");
        Path otherKey = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");
        assumeTrue(Files.exists(otherKey), "no other key to check the signature with");
        Result wrongKey = isolatedUpdate(repo, otherKey);
        assertEquals(100, wrongKey.exit(), wrongKey.output());
        assertTrue(wrongKey.output().contains("NO_PUBKEY") && wrongKey.output().contains("is not signed."), wrongKey.output());

        Path packages = repo.resolve("dists/stable/main/binary-all/Packages");
        Files.writeString(packages, Files.readString(packages).replace("Version: " + VERSION, "Version: " + NEXT));
        Files.delete(repo.resolve("dists/stable/main/binary-all/Packages.gz"));
        Result changed = isolatedUpdate(repo, repo.resolve("rowan-archive-keyring.gpg"));
        assertEquals(100, changed.exit(), changed.output());
        assertTrue(changed.output().contains("Hash Sum mismatch"), changed.output());
    }

    /** The page shows exactly the commands this test runs, plus those it stands in for (NOT_RUN). */
    @Test
    void theInstallPageShowsTheCommandsThisTestRuns() throws IOException {
        Channels.assertPageShowsExactly(INSTALL_PAGE, List.of(KEYRING_DIR, KEYRING, SOURCE, UPDATE, INSTALL, PRE_INSTALL_CONF, START, CHECK,
                REMOVE, PURGE, FORGET_REPOSITORY), NOT_RUN.keySet());
    }

    // --- helpers ----------------------------------------------------------------------------------

    private static void requireRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")), "installs the package on this machine: needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/apt-get")), "not a Debian machine: no apt-get");
    }

    /** Never touch an installation this test did not make. */
    private static void requireAMachineWithoutRowan() {
        requireRoot();
        List<String> found = new ArrayList<>();
        if (!dpkgStatus().isEmpty()) {
            found.add("the package rowan (" + dpkgStatus() + ")");
        }
        if (!getent("passwd", "rowan").isEmpty() || !getent("group", "rowan").isEmpty()) {
            found.add("a user or group rowan");
        }
        for (Path p : List.of(Path.of("/etc/rowan"), DATA, SOURCE_FILE, KEYRING_FILE)) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                found.add(p.toString());
            }
        }
        if (Files.isDirectory(Path.of("/run/systemd/system"))) {
            found.add("a running systemd (the package would start the service itself; this test stands in for systemd)");
        }
        if (!found.isEmpty()) {
            fail("This test installs, purges and deletes Rowan on this machine, which already has " + String.join(", ", found)
                    + ". It leaves them alone: run it where Rowan is not installed.");
        }
    }

    /** target/debian (the signing key and the repository) copied, so that the tests can publish into it. */
    private Path copyOfTheBuild() throws IOException {
        // readable by everyone, as a published repository is: apt reads file: sources as the user _apt
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path out = tmp.resolve("debian");
        Result copied = run("cp", "-R", BUILT.resolve("gnupg").toString(), BUILT.resolve("repo").toString(), Files.createDirectories(out).toString());
        assertEquals(0, copied.exit(), copied.output());
        return out;
    }

    private void addTheRepository(Path repo) throws IOException {
        madeKeyringDirectory = !Files.exists(KEYRING_FILE.getParent());
        for (String command : List.of(KEYRING_DIR, KEYRING, SOURCE, UPDATE)) {
            Result r = page(repo, command);
            assertEquals(0, r.exit(), command + "\n" + r.output());
        }
        assertEquals("deb [signed-by=/etc/apt/keyrings/rowan-archive-keyring.gpg] file:" + repo + " stable main\n", Files.readString(SOURCE_FILE));
    }

    /**
     * A command of the page, run as root through sh, with the page's repository directory replaced by
     * this test's copy. apt-get answers yes by itself, waits for a busy dpkg, and `apt-get update`
     * refreshes only the Rowan source (the machine's other lists are kept, not fetched).
     */
    private Result page(Path repo, String command) throws IOException {
        StringBuilder conf = new StringBuilder("APT::Get::Assume-Yes \"true\";\nDPkg::Lock::Timeout \"120\";\nDpkg::Use-Pty \"false\";\n");
        if (command.equals(UPDATE)) {
            conf.append("Dir::Etc::sourcelist \"").append(SOURCE_FILE).append("\";\nDir::Etc::sourceparts \"-\";\nAPT::Get::List-Cleanup \"false\";\n");
        }
        Path aptConf = Files.writeString(tmp.resolve("apt.conf"), conf);
        Map<String, String> env = Map.of("PATH", SERVICE_PATH, "APT_CONFIG", aptConf.toString(), "DEBIAN_FRONTEND", "noninteractive", "LC_ALL", "C");
        return runWith(env, "sh", "-c", command.replace(PAGE_REPO, repo.toString()));
    }

    /** apt-get update of the repository alone, into lists of its own: the machine's apt state is not touched. */
    private Result isolatedUpdate(Path repo, Path keyring) throws IOException {
        Path state = Files.createDirectories(tmp.resolve("apt-" + keyring.getFileName()));
        Files.createDirectories(state.resolve("lists/partial"));
        Files.createDirectories(state.resolve("cache/archives/partial"));
        Path list = Files.writeString(state.resolve("sources.list"), "deb [signed-by=" + keyring + "] file:" + repo + " stable main\n");
        return runWith(Map.of("PATH", SERVICE_PATH, "LC_ALL", "C"), "apt-get", "update",
                "-o", "Dir::Etc::sourcelist=" + list, "-o", "Dir::Etc::sourceparts=-", "-o", "APT::Get::List-Cleanup=false",
                "-o", "Dir::State::Lists=" + state.resolve("lists"), "-o", "Dir::Cache=" + state.resolve("cache"));
    }

    /** The next version of the package from a copy of packaging/ whose changelog names it, as a release would. */
    private Result buildNextVersionInto(Path out) throws IOException {
        Path packaging = tmp.resolve("packaging");
        Result copied = run("cp", "-R", PROJECT.resolve("packaging/debian").toString(), PROJECT.resolve("packaging/java").toString(),
                Files.createDirectories(packaging).toString());
        assertEquals(0, copied.exit(), copied.output());
        Path changelog = packaging.resolve("debian/changelog");
        String today = run("date", "-R").output().strip();
        Files.writeString(changelog, "rowan (" + NEXT + ") stable; urgency=medium\n\n  * A test build of the next version.\n\n"
                + " -- Rowan maintainers <maintainers@rowan.invalid>  " + today + "\n\n" + Files.readString(changelog));
        return run("sh", packaging.resolve("debian/build.sh").toString(), NEXT, JAR.toString(), out.toString());
    }

    /** What systemd would run: the installed unit's ExecStart as its User=, with its Environment=. */
    private static String serviceCommand() throws IOException {
        assertEquals(List.of("rowan"), unitSetting("User"));
        return "runuser -u rowan -- env " + String.join(" ", unitSetting("Environment")) + " " + String.join(" ", unitSetting("ExecStart"));
    }

    private static List<String> unitSetting(String key) throws IOException {
        return Channels.unitSetting(UNIT, key);
    }

    /** A unit file's settings in order, by key (comments left out). */
    private static Map<String, List<String>> unitLines(Path unit) throws IOException {
        Map<String, List<String>> settings = new TreeMap<>();
        for (String line : Files.readAllLines(unit)) {
            if (line.matches("[A-Za-z]+=.*")) {
                String[] kv = line.split("=", 2);
                settings.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(kv[1]);
            }
        }
        return settings;
    }

    private static Map<String, List<String>> without(Map<String, List<String>> settings, List<String> keys) {
        Map<String, List<String>> rest = new TreeMap<>(settings);
        rest.keySet().removeAll(keys);
        return rest;
    }

    /** Whatever the test left, removed: the package (purged), the apt source, its key and its lists. */
    private void cleanUp(Path repo) throws IOException {
        List<String> problems = new ArrayList<>();
        if (!dpkgStatus().isEmpty()) {
            Result purged = runWith(Map.of("PATH", SERVICE_PATH), "dpkg", "--purge", "rowan");
            if (purged.exit() != 0) {
                problems.add(purged.output());
            }
        }
        Files.deleteIfExists(SOURCE_FILE);
        Files.deleteIfExists(KEYRING_FILE);
        if (madeKeyringDirectory) {
            try (Stream<Path> left = Files.list(KEYRING_FILE.getParent())) {
                if (left.findAny().isEmpty()) {
                    Files.delete(KEYRING_FILE.getParent());
                }
            }
        }
        String prefix = repo.toString().replace('/', '_') + "_";
        try (Stream<Path> lists = Files.list(Path.of("/var/lib/apt/lists"))) {
            for (Path p : lists.filter(p -> p.getFileName().toString().startsWith(prefix)).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
        assertEquals(List.of(), problems, "purging rowan after the test failed");
    }

    private static List<String> leftoverServiceState() throws IOException {
        List<String> left = new ArrayList<>();
        for (Path dir : List.of(Path.of("/etc/systemd/system"), Path.of("/var/lib/systemd"))) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> all = Files.walk(dir)) {
                    all.filter(p -> p.getFileName().toString().startsWith("rowan")).forEach(p -> left.add(p.toString()));
                }
            }
        }
        return left;
    }

    /** dpkg's status and version of rowan ("install ok installed 0.1.0"), or "" when dpkg does not know it. */
    private static String dpkgStatus() {
        Result r = runWith(Map.of("PATH", SERVICE_PATH), "dpkg-query", "--show", "--showformat=${Status} ${Version}", "rowan");
        return r.exit() == 0 && !r.output().startsWith("unknown ok not-installed") ? r.output().strip() : "";
    }

    private static String getent(String database, String name) {
        Result r = runWith(Map.of("PATH", SERVICE_PATH), "getent", database, name);
        return r.exit() == 0 ? r.output().strip() : "";
    }

    private static String secretKeyIn(Path conf) throws IOException {
        List<String> keys = Files.readAllLines(conf).stream().filter(l -> l.startsWith("secret.key = "))
                .map(l -> l.substring("secret.key = ".length())).collect(Collectors.toList());
        assertEquals(1, keys.size(), "one secret.key line in " + conf);
        return keys.get(0);
    }

    private static void assertOwnerAndMode(Path p, String owner, String group, String mode) throws IOException {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertEquals(owner + ":" + group + " " + mode, a.owner().getName() + ":" + a.group().getName() + " "
                + PosixFilePermissions.toString(a.permissions()), p.toString());
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Result run(String... command) {
        return runWith(Map.of("PATH", SERVICE_PATH, "LC_ALL", "C"), command);
    }

    /** Runs a command to its end (at most two minutes) with exactly {@code env}: nothing of the build's environment leaks in. */
    private static Result runWith(Map<String, String> env, String... command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(env);
        return ProcessOutput.run(pb, Duration.ofMinutes(2));
    }

    /** Rowan started by runuser as the service would be; closing it kills it if the test did not stop it. */
    private static final class Running implements AutoCloseable {
        private final Process process;
        private final ProcessOutput output;

        private Running(Process process) {
            this.process = process;
            this.output = new ProcessOutput(process.getInputStream());
        }

        /** With systemd's clean environment (its PATH, nothing else) and working directory. */
        static Running start(String... command) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(command).directory(new File("/")).redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().put("PATH", SERVICE_PATH);
            return new Running(pb.start());
        }

        String output() {
            return output.toString();
        }

        /** The JVM: runuser's child, which systemd would start directly. */
        ProcessHandle jvm() {
            return process.children().findFirst().orElseThrow(() -> new AssertionError("runuser has no child:\n" + output()));
        }

        void awaitReady(int port) throws InterruptedException {
            output.awaitReady(process, port);
        }

        /** Like systemctl stop: SIGTERM to the JVM, which the unit counts as a success (SuccessExitStatus=143). */
        void stop() throws InterruptedException, IOException {
            jvm().destroy();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "Rowan did not stop within 60 s:\n" + output());
            List<String> success = new ArrayList<>(unitSetting("SuccessExitStatus"));
            success.add("0");
            assertTrue(success.contains(Integer.toString(process.exitValue())), "exit status " + process.exitValue() + ":\n" + output());
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.children().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }
}
