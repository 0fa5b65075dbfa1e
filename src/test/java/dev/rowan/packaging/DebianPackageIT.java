package dev.rowan.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rowan.packaging.ProcessOutput.Result;
import dev.rowan.secret.SecretKeys;
import dev.rowan.testing.FreePort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>The checks of files only read them, on this machine. The tests that install never touch this
 * machine: each runs in a Debian machine of its own, a podman container ({@link Machine}) of an image
 * made once per machine from the Docker image test's debootstrapped Debian bookworm base (see
 * {@link Podman#ensureDebianBase}), with dpkg installing every file as on a server (not the slim base's
 * exclusions), the machine's Java 17 and adduser, and no systemd running. The test's copy of the
 * repository is mounted there at /srv/rowan-apt, where the page says it was copied, so the page's
 * commands run word for word. The container is removed when the test ends, and removes itself after
 * {@link #LIFETIME} should the test be killed halfway: this machine's users, /etc, /var/lib and apt
 * state are never changed, whatever happens. `apt-get update` refreshes only the Rowan source, so
 * nothing is fetched from the network; the Java dependency is met by the image's Java 17 package.
 * Measured here (two busy cores): the base and the machine image 211 s, once per machine; then 1 s
 * for podman to find them, and the installing tests 76-111, 23-36 and 4 s (three runs).
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
    private static final Path WORK = PROJECT.resolve("target/debian-it");
    /** systemd's PATH for services: the Java that runs Rowan is the one the package depends on. */
    private static final String SERVICE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** Where the page says the repository was copied to: the machine has the test's copy there. */
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

    // Paths on the machine the package is installed on.
    private static final String SOURCE_FILE = "/etc/apt/sources.list.d/rowan.list";
    private static final String KEYRING_FILE = "/etc/apt/keyrings/rowan-archive-keyring.gpg";
    private static final String CONF = "/etc/rowan/rowan.conf";
    private static final String DATA = "/var/lib/rowan";
    private static final String OWN_CONF = DATA + "/rowan.conf";
    private static final String UNIT = "/lib/systemd/system/rowan.service";

    /**
     * The machine's image: the Debian base with dpkg's slim exclusions (which Podman#ensureDebianBase
     * writes as dpkg.cfg.d/docker) taken out again, and what a Debian server has before Rowan comes:
     * a Java 17 runtime, adduser, and the helpers packages use to enable their services.
     */
    private static final String MACHINE_IMAGE = "localhost/rowan-it-debian-machine:bookworm";
    private static final String MACHINE_CONTAINERFILE = """
            FROM %s
            RUN rm /etc/dpkg/dpkg.cfg.d/docker \\
                && apt-get update \\
                && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\
                    openjdk-17-jre-headless adduser init-system-helpers \\
                && apt-get clean \\
                && rm -rf /var/lib/apt/lists/*
            """.formatted(Podman.DEBIAN_BASE);
    /** How long a machine lives at most: the longest test takes well under a minute. */
    private static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final AtomicInteger MACHINES = new AtomicInteger();
    private static Podman podman;

    @TempDir
    Path tmp;

    /** The package must be there for every test, also where it could not be built: the message says why. */
    @BeforeAll
    static void thePackageWasBuilt() {
        assertTrue(Files.isRegularFile(DEB), DEB + " was not built: `mvn package` skips the Debian package when dpkg-deb, "
                + "apt-ftparchive or gpg is missing (apt-get install dpkg apt-utils gpg; .ci/run installs them)");
    }

    // --- the package and the repository as files --------------------------------------------------

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

        // a home of its own: gpg would otherwise create ~/.gnupg on this machine
        Path home = Files.createDirectory(tmp.resolve("gnupg"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Result packets = runWith(Map.of("PATH", SERVICE_PATH, "LC_ALL", "C", "GNUPGHOME", home.toString()), "gpg", "--list-packets", keyring.toString());
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

    // --- installed on a Debian machine of its own ---------------------------------------------------

    /**
     * The page from start to end: add the repository, install, configure the port, start as the
     * service would and set up, update to a newer package with everything kept, remove, purge.
     */
    @Test
    void installedSetUpUpdatedRemovedAndPurgedAsThePageSays() throws IOException, InterruptedException {
        Path out = copyOfTheBuild();
        try (Machine machine = Machine.start(out.resolve("repo"), tmp)) {
            addTheRepository(machine);
            Result installed = machine.page(INSTALL);
            assertEquals(0, installed.exit(), installed.output());
            assertEquals("install ok installed " + VERSION, machine.dpkgStatus());

            // What the package installed, and what postinst made
            assertEquals(sha256(JAR), machine.sha256("/usr/share/rowan/lib/rowan.jar"), "the jar this build produced");
            assertEquals("../share/rowan/bin/rowan", machine.readLink("/usr/bin/rowan"));
            for (String documentation : List.of("/usr/share/man/man1/rowan.1.gz", "/usr/share/doc/rowan/changelog.gz")) {
                assertTrue(machine.exists(documentation), documentation);
            }
            String[] user = machine.getent("passwd", "rowan").split(":");
            assertTrue(Integer.parseInt(user[2]) < 1000, "a system user: " + String.join(":", user));
            assertEquals(List.of("/var/lib/rowan", "/usr/sbin/nologin"), List.of(user[5], user[6]));
            assertEquals(machine.getent("group", "rowan").split(":")[2], user[3], "its own group rowan");
            assertOwnerAndMode(machine, CONF, "root", "rowan", "rw-r-----");
            assertEquals(sha256(PACKAGING.resolve("rowan.conf")), machine.sha256(CONF), "the default settings");
            assertOwnerAndMode(machine, DATA, "rowan", "rowan", "rwxr-x---");
            assertOwnerAndMode(machine, OWN_CONF, "rowan", "rowan", "rw-------");
            String key = secretKeyIn(machine, OWN_CONF);
            assertTrue(key.matches("[A-Za-z0-9_-]{43}"), "256 random bits, as Rowan writes them (length " + key.length() + ")");
            assertFalse(installed.output().contains(key), "the key is never printed");
            assertEquals(UNIT, machine.readLink("/etc/systemd/system/multi-user.target.wants/rowan.service"), "the service is enabled");

            Result check = machine.page(CHECK);
            assertEquals(0, check.exit(), check.output());
            assertTrue(check.output().contains("All checks passed."), check.output());

            // Configuring Rowan: a line in /etc/rowan/rowan.conf (a free port rather than 8000)
            int port = FreePort.find();
            machine.ok("sh", "-c", "echo 'http.port = " + port + "' >> " + CONF);
            String settings = machine.sha256(CONF);
            String ownSettings = machine.sha256(OWN_CONF);
            assertEquals(START, serviceCommand(machine), "the page starts Rowan as the installed unit does");
            try (Running rowan = machine.run(START)) {
                rowan.awaitReady(port);
                assertTrue(rowan.output().contains("Data directory:    /var/lib/rowan\n"), rowan.output());
                assertTrue(rowan.output().contains("Secret key:        fingerprint " + SecretKeys.fingerprint(key)
                        + ", from config file /var/lib/rowan/rowan.conf, line 5\n"), "the key postinst made:\n" + rowan.output());
                assertFalse(rowan.output().contains(key), rowan.output());
                Jvm jvm = rowan.jvm();
                assertEquals("runuser", jvm.parent(), "started by runuser, as systemd would start it");
                assertEquals("rowan", jvm.user());
                assertEquals(List.of("-Xmx256m", "-XX:+UseSerialGC", "-jar", "/usr/share/rowan/lib/rowan.jar", "serve"),
                        jvm.commandLine().subList(1, jvm.commandLine().size()), jvm.commandLine().toString());
                Channels.setUpAdmin(port, rowan.output());
                rowan.stop();
            }
            assertTrue(machine.exists(DATA + "/rowan.db"));

            // Update: the same jar as the next version, published to the same repository
            Result built = buildNextVersionInto(out);
            assertEquals(0, built.exit(), built.output());
            Result update = machine.page(UPDATE);
            assertEquals(0, update.exit(), update.output());
            Result upgraded = machine.page(INSTALL);
            assertEquals(0, upgraded.exit(), upgraded.output());
            assertTrue(upgraded.output().contains("Unpacking rowan (" + NEXT + ") over (" + VERSION + ")"), upgraded.output());
            assertEquals("install ok installed " + NEXT, machine.dpkgStatus());
            assertEquals(settings, machine.sha256(CONF), "/etc/rowan/rowan.conf is kept as it was");
            assertEquals(ownSettings, machine.sha256(OWN_CONF), "the secret key is kept, never rewritten");
            assertOwnerAndMode(machine, CONF, "root", "rowan", "rw-r-----");
            assertOwnerAndMode(machine, DATA, "rowan", "rowan", "rwxr-x---");
            try (Running rowan = machine.run(START)) {
                rowan.awaitReady(port);
                assertFalse(rowan.output().contains("setup?token="), "the administrator is still there:\n" + rowan.output());
                Channels.assertAdminSignsIn(port);
                rowan.stop();
            }

            // Remove: the program goes; settings, data and the user stay
            Result removed = machine.page(REMOVE);
            assertEquals(0, removed.exit(), removed.output());
            assertEquals("deinstall ok config-files " + NEXT, machine.dpkgStatus());
            for (String gone : List.of("/usr/bin/rowan", "/usr/share/rowan", UNIT)) {
                assertFalse(machine.exists(gone), gone);
            }
            assertEquals(settings, machine.sha256(CONF));
            assertEquals(ownSettings, machine.sha256(OWN_CONF));
            assertTrue(machine.exists(DATA + "/rowan.db"));
            assertFalse(machine.getent("passwd", "rowan").isEmpty(), "the user stays while its files do");

            // Purge: everything Rowan had on the machine goes
            Result purged = machine.page(PURGE);
            assertEquals(0, purged.exit(), purged.output());
            assertEquals("", machine.dpkgStatus(), "dpkg no longer knows rowan");
            assertFalse(machine.exists("/etc/rowan"), "/etc/rowan is gone");
            assertFalse(machine.exists(DATA), "/var/lib/rowan is gone");
            assertEquals("", machine.getent("passwd", "rowan"), "the user is gone");
            assertEquals("", machine.getent("group", "rowan"), "the group is gone");
            assertEquals("", machine.ok("sh", "-c", "for d in /etc/systemd/system /var/lib/systemd; do [ ! -d $d ] || find $d -name 'rowan*'; done"),
                    "no enablement or mask of the service is left");

            Result forgotten = machine.page(FORGET_REPOSITORY);
            assertEquals(0, forgotten.exit(), forgotten.output());
            assertFalse(machine.exists(SOURCE_FILE) || machine.exists(KEYRING_FILE));
        }
    }

    /** The tip: settings written before the installation (here a port and a secret key of one's own) are kept and used. */
    @Test
    void settingsWrittenBeforeTheInstallationAreKeptAndUsed() throws IOException, InterruptedException {
        try (Machine machine = Machine.start(copyOfTheBuild().resolve("repo"), tmp)) {
            addTheRepository(machine);
            Result created = machine.page(PRE_INSTALL_CONF);
            assertEquals(0, created.exit(), created.output());
            assertOwnerAndMode(machine, CONF, "root", "root", "rw-------");
            int port = FreePort.find();
            String key = SecretKeys.generate();
            machine.overwrite(CONF, "http.port = " + port + "\nsecret.key = " + key + "\n");
            String settings = machine.sha256(CONF);

            Result installed = machine.page(INSTALL);
            assertEquals(0, installed.exit(), installed.output());
            assertEquals(settings, machine.sha256(CONF), "the file is kept as written");
            assertOwnerAndMode(machine, CONF, "root", "rowan", "rw-r-----");
            assertFalse(machine.exists(OWN_CONF), "no second key is generated beside the one configured");
            try (Running rowan = machine.run(START)) {
                rowan.awaitReady(port);
                assertTrue(rowan.output().contains("Secret key:        fingerprint " + SecretKeys.fingerprint(key)
                        + ", from config file /etc/rowan/rowan.conf, line 2\n"), rowan.output());
                rowan.stop();
            }
            Result purged = machine.page(PURGE);
            assertEquals(0, purged.exit(), purged.output());
            assertFalse(machine.exists("/etc/rowan") || machine.exists(DATA));
        }
    }

    /** apt itself checks the repository: a signature by another key, or an index changed after signing, is refused. */
    @Test
    void aptRefusesTheRepositorySignedByAnotherKeyOrChangedAfterSigning() throws IOException {
        Path repo = copyOfTheBuild().resolve("repo");
        try (Machine machine = Machine.start(repo, tmp)) {
            String otherKey = "/usr/share/keyrings/debian-archive-keyring.gpg";
            assertTrue(machine.exists(otherKey), "Debian's own key, another key to check the signature with");
            Result wrongKey = isolatedUpdate(machine, otherKey);
            assertEquals(100, wrongKey.exit(), wrongKey.output());
            assertTrue(wrongKey.output().contains("NO_PUBKEY") && wrongKey.output().contains("is not signed."), wrongKey.output());

            // changed in the test's copy here, which the machine sees at /srv/rowan-apt
            Path packages = repo.resolve("dists/stable/main/binary-all/Packages");
            Files.writeString(packages, Files.readString(packages).replace("Version: " + VERSION, "Version: " + NEXT));
            Files.delete(repo.resolve("dists/stable/main/binary-all/Packages.gz"));
            Result changed = isolatedUpdate(machine, PAGE_REPO + "/rowan-archive-keyring.gpg");
            assertEquals(100, changed.exit(), changed.output());
            assertTrue(changed.output().contains("Hash Sum mismatch"), changed.output());
        }
    }

    /** The page shows exactly the commands this test runs, plus those it stands in for (NOT_RUN). */
    @Test
    void theInstallPageShowsTheCommandsThisTestRuns() throws IOException {
        Channels.assertPageShowsExactly(INSTALL_PAGE, List.of(KEYRING_DIR, KEYRING, SOURCE, UPDATE, INSTALL, PRE_INSTALL_CONF, START, CHECK,
                REMOVE, PURGE, FORGET_REPOSITORY), NOT_RUN.keySet());
    }

    // --- helpers ----------------------------------------------------------------------------------

    /** target/debian (the signing key and the repository) copied, so that the tests can publish into it. */
    private Path copyOfTheBuild() throws IOException {
        Path out = tmp.resolve("debian");
        Result copied = run("cp", "-R", BUILT.resolve("gnupg").toString(), BUILT.resolve("repo").toString(), Files.createDirectories(out).toString());
        assertEquals(0, copied.exit(), copied.output());
        return out;
    }

    private static void addTheRepository(Machine machine) throws IOException {
        for (String command : List.of(KEYRING_DIR, KEYRING, SOURCE, UPDATE)) {
            Result r = machine.page(command);
            assertEquals(0, r.exit(), command + "\n" + r.output());
        }
        assertEquals("deb [signed-by=/etc/apt/keyrings/rowan-archive-keyring.gpg] file:/srv/rowan-apt stable main\n", machine.ok("cat", SOURCE_FILE));
    }

    /** apt-get update of the repository alone, with the given key, into lists of its own. */
    private static Result isolatedUpdate(Machine machine, String keyring) {
        return machine.exec("sh", "-c", """
                state=$(mktemp -d)
                mkdir -p "$state/lists/partial" "$state/cache/archives/partial"
                echo "deb [signed-by=$1] file:$2 stable main" > "$state/sources.list"
                exec apt-get update -o Dir::Etc::sourcelist="$state/sources.list" -o Dir::Etc::sourceparts=- \
                    -o APT::Get::List-Cleanup=false -o Dir::State::Lists="$state/lists" -o Dir::Cache="$state/cache"
                """, "sh", keyring, PAGE_REPO);
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
    private static String serviceCommand(Machine machine) throws IOException {
        assertEquals(List.of("rowan"), machine.unitSetting("User"));
        return "runuser -u rowan -- env " + String.join(" ", machine.unitSetting("Environment")) + " "
                + String.join(" ", machine.unitSetting("ExecStart"));
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

    private static String secretKeyIn(Machine machine, String conf) {
        List<String> keys = machine.ok("cat", conf).lines().filter(l -> l.startsWith("secret.key = "))
                .map(l -> l.substring("secret.key = ".length())).collect(Collectors.toList());
        assertEquals(1, keys.size(), "one secret.key line in " + conf);
        return keys.get(0);
    }

    private static void assertOwnerAndMode(Machine machine, String path, String owner, String group, String mode) {
        // %A is ls's mode with the file type first ("-rw-r-----"): the type is left out
        assertEquals(owner + ":" + group + " " + mode, machine.ok("stat", "-c", "%U:%G %A", path).strip().replaceFirst(" .", " "), path);
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

    /** Podman, and the machine image made (or found) once per run. */
    private static synchronized Podman podman() throws IOException {
        if (podman == null) {
            Podman p = Podman.require(WORK);
            long started = System.nanoTime();
            p.ensureDebianBase(Podman.DEBIAN_BASE, WORK);
            p.ensureImage(MACHINE_IMAGE, MACHINE_CONTAINERFILE, WORK);
            System.out.printf("DebianPackageIT: base and machine image %d s%n", (System.nanoTime() - started) / 1_000_000_000);
            podman = p;
        }
        return podman;
    }

    /**
     * A Debian machine of its own for one test: a container of {@link #MACHINE_IMAGE} with the test's copy
     * of the repository at /srv/rowan-apt and a directory of the test's at /mnt/rowan-it (both read-only
     * there), on this machine's network so that Rowan's port is reached here as before. Every command
     * runs as root with only the given environment. Closing it removes it, with whatever runs in it.
     */
    private static final class Machine implements AutoCloseable {
        private static final String EXCHANGE = "/mnt/rowan-it";
        private final Podman podman;
        private final String name;
        private final Path exchange;

        private Machine(Podman podman, String name, Path exchange) {
            this.podman = podman;
            this.name = name;
            this.exchange = exchange;
        }

        /**
         * Started with `sleep` as its only process and --rm: when the test is killed before it removes the
         * container, the container ends and removes itself when the sleep does.
         */
        static Machine start(Path repo, Path tmp) throws IOException {
            Podman podman = podman();
            Path exchange = Files.createDirectories(tmp.resolve("exchange"));
            // apt answers yes by itself; `apt-get update` reads the Rowan source alone (the Debian lists are not fetched)
            String apt = "APT::Get::Assume-Yes \"true\";\nDpkg::Use-Pty \"false\";\n";
            Files.writeString(exchange.resolve("apt.conf"), apt);
            Files.writeString(exchange.resolve("apt-update.conf"), apt + "Dir::Etc::sourcelist \"" + SOURCE_FILE
                    + "\";\nDir::Etc::sourceparts \"-\";\nAPT::Get::List-Cleanup \"false\";\n");
            String name = "rowan-debian-it-" + ProcessHandle.current().pid() + "-" + MACHINES.incrementAndGet();
            podman.ok(WORK, "run", "-d", "--rm", "--name", name, "--network", "host",
                    "-v", repo.toAbsolutePath() + ":" + PAGE_REPO + ":ro", "-v", exchange.toAbsolutePath() + ":" + EXCHANGE + ":ro",
                    MACHINE_IMAGE, "sleep", Long.toString(LIFETIME.toSeconds()));
            return new Machine(podman, name, exchange);
        }

        /** A command of the page, as root through sh, with apt configured as above. */
        Result page(String command) {
            String aptConf = EXCHANGE + (command.equals(UPDATE) ? "/apt-update.conf" : "/apt.conf");
            return podman.run(WORK, Duration.ofMinutes(3), "exec", "-w", "/", name, "env", "-i", "PATH=" + SERVICE_PATH, "LC_ALL=C",
                    "DEBIAN_FRONTEND=noninteractive", "APT_CONFIG=" + aptConf, "sh", "-c", command);
        }

        Result exec(String... command) {
            return podman.run(WORK, Duration.ofMinutes(2), arguments(command).toArray(String[]::new));
        }

        /** A command that must succeed; its output. */
        String ok(String... command) {
            Result r = exec(command);
            assertEquals(0, r.exit(), String.join(" ", command) + ":\n" + r.output());
            return r.output();
        }

        /** A command started, not awaited: like systemd, with its PATH only and / as the working directory. */
        Running run(String command) throws IOException {
            List<String> args = arguments(command.split(" "));
            return new Running(this, podman.command(WORK, args.toArray(String[]::new)).redirectErrorStream(true).start());
        }

        private List<String> arguments(String... command) {
            List<String> args = new ArrayList<>(List.of("exec", "-w", "/", name, "env", "-i", "PATH=" + SERVICE_PATH, "LC_ALL=C"));
            args.addAll(List.of(command));
            return args;
        }

        boolean exists(String path) {
            return exec("sh", "-c", "test -e \"$1\" || test -L \"$1\"", "sh", path).exit() == 0;
        }

        String sha256(String path) {
            return ok("sha256sum", path).split(" ")[0];
        }

        String readLink(String path) {
            return ok("readlink", path).strip();
        }

        /** dpkg's status and version of rowan ("install ok installed 0.1.0"), or "" when dpkg does not know it. */
        String dpkgStatus() {
            Result r = exec("dpkg-query", "--show", "--showformat=${Status} ${Version}", "rowan");
            return r.exit() == 0 && !r.output().startsWith("unknown ok not-installed") ? r.output().strip() : "";
        }

        String getent(String database, String key) {
            Result r = exec("getent", database, key);
            return r.exit() == 0 ? r.output().strip() : "";
        }

        /** Replaces a file's content, keeping its owner and mode; the content never appears on a command line. */
        void overwrite(String path, String content) throws IOException {
            Path file = exchange.resolve("content");
            Files.writeString(Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), content);
            try {
                ok("sh", "-c", "cat \"$1\" > \"$2\"", "sh", EXCHANGE + "/content", path);
            } finally {
                Files.delete(file);
            }
        }

        /** The values of a setting of the installed unit's [Service] section. */
        List<String> unitSetting(String key) throws IOException {
            Path unit = Files.writeString(exchange.resolve("rowan.service"), ok("cat", UNIT));
            return Channels.unitSetting(unit, key);
        }

        @Override
        public void close() {
            Result r = podman.run(WORK, Duration.ofMinutes(1), "rm", "-f", "-t", "0", name);
            assertEquals(0, r.exit(), "podman rm " + name + ":\n" + r.output());
        }
    }

    /** The JVM running Rowan, seen in the machine's /proc: its process id, user, parent's name and command line. */
    private record Jvm(String pid, String user, String parent, List<String> commandLine) {
    }

    /**
     * Rowan started in the machine as the service would be. Closing it ends the podman exec that follows
     * it; a Rowan the test did not stop ends with the machine, which is closed right after.
     */
    private static final class Running implements AutoCloseable {
        private final Machine machine;
        private final Process process;
        private final ProcessOutput output;

        private Running(Machine machine, Process process) {
            this.machine = machine;
            this.process = process;
            this.output = new ProcessOutput(process.getInputStream());
        }

        String output() {
            return output.toString();
        }

        /** The one JVM in the machine (runuser's child, which systemd would start directly). */
        Jvm jvm() {
            List<String> lines = machine.ok("sh", "-c", """
                    set -e
                    pid=$(grep -lx java /proc/[0-9]*/comm 2>/dev/null | cut -d/ -f3)
                    [ "$(echo "$pid" | wc -w)" = 1 ] || { echo "not one JVM: $pid"; exit 1; }
                    read -r _ _ _ parent _ < "/proc/$pid/stat"
                    echo "$pid"
                    stat -c %U "/proc/$pid"
                    cat "/proc/$parent/comm"
                    tr '\\0' '\\n' < "/proc/$pid/cmdline"
                    """).lines().toList();
            return new Jvm(lines.get(0), lines.get(1), lines.get(2), lines.subList(3, lines.size()));
        }

        void awaitReady(int port) throws InterruptedException {
            output.awaitReady(process, port);
        }

        /** Like systemctl stop: SIGTERM to the JVM, which the unit counts as a success (SuccessExitStatus=143). */
        void stop() throws InterruptedException, IOException {
            machine.ok("sh", "-c", "kill -TERM \"$1\"", "sh", jvm().pid());
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "Rowan did not stop within 60 s:\n" + output());
            List<String> success = new ArrayList<>(machine.unitSetting("SuccessExitStatus"));
            success.add("0");
            assertTrue(success.contains(Integer.toString(process.exitValue())), "exit status " + process.exitValue() + ":\n" + output());
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
