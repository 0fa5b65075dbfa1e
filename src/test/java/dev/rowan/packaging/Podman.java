package dev.rowan.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rowan.packaging.ProcessOutput.Result;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Podman standing in for Docker (no Docker engine on these machines; podman runs the same images and
 * takes the same commands). Every call uses a containers.conf written for this kind of machine: runc
 * with cgroupfs (crun fails on its cgroup layout), events to a file (no journal), and open-file limits
 * PostgreSQL is happy with.
 */
final class Podman {
    private static final String CONTAINERS_CONF = """
            [containers]
            default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

            [engine]
            runtime = "runc"
            cgroup_manager = "cgroupfs"
            events_logger = "file"
            """;

    /** Debian bookworm, minimal: the Dockerfile's FROM, and the machine the Debian package is installed on. */
    static final String DEBIAN_BASE = "debian:bookworm-slim";

    private final Path conf;

    private Podman(Path conf) {
        this.conf = conf;
    }

    /** Podman with this test's configuration; fails (not skips) where podman is missing, since CI installs it. */
    static Podman require(Path workDir) {
        for (String tool : List.of("podman", "runc")) {
            if (onPath(tool) == null) {
                fail(tool + " is not installed. The Docker image test builds and runs the image with podman: "
                        + "apt-get install podman runc debootstrap (.ci/run installs them on CI).");
            }
        }
        try {
            Files.createDirectories(workDir);
            Path conf = workDir.resolve("containers.conf");
            Files.writeString(conf, CONTAINERS_CONF);
            return new Podman(conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    /** podman with these arguments. */
    Result run(Path cwd, Duration timeout, String... args) {
        return ProcessOutput.run(command(cwd, args), timeout);
    }

    /** podman with these arguments and this configuration, for a caller that starts it and follows its output. */
    ProcessBuilder command(Path cwd, String... args) {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(Arrays.asList(args));
        return configured(new ProcessBuilder(command).directory(cwd.toFile()));
    }

    /** podman, expected to succeed; returns its output. */
    String ok(Path cwd, String... args) {
        Result r = run(cwd, Duration.ofMinutes(2), args);
        assertEquals(0, r.exit(), "podman " + String.join(" ", args) + ":\n" + r.output());
        return r.output();
    }

    /** A command line for sh (pipes, redirections, "$PWD"), with podman configured as for {@link #run}. */
    Result shell(Path cwd, Duration timeout, String commandLine) {
        return exec(cwd, timeout, List.of("sh", "-c", commandLine));
    }

    /**
     * Makes sure an image of that name exists, kept between runs: no registry is reachable here, so a
     * minimal Debian bookworm made by debootstrap stands in for the registry's debian:bookworm-slim, with
     * the slim variant's dpkg exclusions (no documentation, manual pages or translations), the updates
     * and security suites in its sources, and its PATH and CMD. Takes about a minute, once per machine.
     */
    void ensureDebianBase(String name, Path workDir) throws IOException {
        Path root = workDir.resolve("debian-rootfs");
        removeRootFs(root, workDir);
        if (run(workDir, Duration.ofSeconds(30), "image", "exists", name).exit() == 0) {
            return;
        }
        if (onPath("debootstrap") == null) {
            fail("debootstrap is not installed; the test makes its " + name + " base image with it (apt-get install debootstrap).");
        }
        try {
            makeDebianBase(name, root, workDir);
        } finally {
            removeRootFs(root, workDir);
        }
    }

    private void makeDebianBase(String name, Path root, Path workDir) throws IOException {
        Result boot = exec(workDir, Duration.ofMinutes(10), List.of("debootstrap", "--variant=minbase", "bookworm", root.toString(),
                "http://deb.debian.org/debian"));
        assertEquals(0, boot.exit(), "debootstrap (it needs root and the Debian mirror):\n" + boot.output());
        Files.writeString(root.resolve("etc/apt/sources.list"), """
                deb http://deb.debian.org/debian bookworm main
                deb http://deb.debian.org/debian bookworm-updates main
                deb http://deb.debian.org/debian-security bookworm-security main
                """);
        Files.writeString(root.resolve("etc/dpkg/dpkg.cfg.d/docker"), """
                path-exclude /usr/share/doc/*
                path-include /usr/share/doc/*/copyright
                path-exclude /usr/share/man/*
                path-exclude /usr/share/groff/*
                path-exclude /usr/share/info/*
                path-exclude /usr/share/lintian/*
                path-exclude /usr/share/linda/*
                path-exclude /usr/share/locale/*
                """);
        Result imported = exec(workDir, Duration.ofMinutes(5), List.of("sh", "-c",
                "rm -rf \"$1\"/var/cache/apt/archives/*.deb \"$1\"/var/lib/apt/lists/* && tar -C \"$1\" -c . | podman import -q "
                        + "--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --change 'CMD [\"bash\"]' - \"$2\"",
                "sh", root.toString(), name));
        assertEquals(0, imported.exit(), imported.output());
    }

    /**
     * Makes sure the image {@code tag} is the one {@code containerfile} describes: built with an empty
     * context, and again only when the file or its base changed (podman's layer cache answers otherwise,
     * in about a second). The image stays for the next run, like the base.
     */
    void ensureImage(String tag, String containerfile, Path workDir) throws IOException {
        Path context = Files.createDirectories(workDir.resolve("image-" + tag.replaceAll("[^A-Za-z0-9.-]", "_")));
        Files.writeString(context.resolve("Containerfile"), containerfile);
        Result built = run(context, Duration.ofMinutes(10), "build", "--layers", "-q", "-t", tag, ".");
        assertEquals(0, built.exit(), "podman build of " + tag + ":\n" + built.output());
    }

    /**
     * Deletes debootstrap's directory, also one left by a run killed halfway (then on the next run, base
     * image or not): debootstrap mounts /proc and /sys (and may bind /dev) inside it, so whatever is
     * mounted there is unmounted first, deepest first, and rm stays on the directory's own file system,
     * so that nothing of this machine is deleted.
     */
    private void removeRootFs(Path root, Path workDir) throws IOException {
        String prefix = root.toAbsolutePath().normalize() + "/";
        List<String> mounted = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String mountPoint = line.split(" ")[1].replace("\\040", " ");
            if (mountPoint.startsWith(prefix)) mounted.add(mountPoint);
        }
        mounted.sort(Comparator.comparingInt(String::length).reversed());
        for (String mountPoint : mounted) {
            Result r = exec(workDir, Duration.ofMinutes(1), List.of("umount", "--lazy", mountPoint));
            assertEquals(0, r.exit(), "umount " + mountPoint + ":\n" + r.output());
        }
        if (Files.exists(root)) {
            Result r = exec(workDir, Duration.ofMinutes(2), List.of("rm", "-rf", "--one-file-system", root.toString()));
            assertEquals(0, r.exit(), "rm -rf " + root + ":\n" + r.output());
        }
    }

    private Result exec(Path cwd, Duration timeout, List<String> command) {
        return ProcessOutput.run(configured(new ProcessBuilder(command).directory(cwd.toFile())), timeout);
    }

    private ProcessBuilder configured(ProcessBuilder pb) {
        pb.environment().put("CONTAINERS_CONF", conf.toString());
        return pb;
    }
}
