package dev.rowan.userdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Whether Rowan itself runs in a container. It matters because there "localhost" is the container,
 * not the machine people think of, and that is the most common reason a connection to localhost fails.
 * Every check reads a file or variable that container engines set on purpose; none is proof, so this
 * only ever adds a hint, never changes what Rowan does.
 */
public final class ContainerDetection {
    private static final List<String> CGROUP_MARKERS = List.of("docker", "kubepods", "containerd", "libpod", "podman", "lxc", "crio");

    private ContainerDetection() {
    }

    /** The real machine's answer, as a supplier so callers (and tests) can inject another. */
    public static BooleanSupplier system() {
        return () -> inContainer(Path.of("/"), System.getenv());
    }

    /**
     * Docker's {@code /.dockerenv}, Podman's {@code /run/.containerenv}, an engine's name in PID 1's cgroup
     * (cgroup v1, or v2 without a private namespace), or the variables Podman, systemd-nspawn and
     * Kubernetes set ({@code container}, {@code KUBERNETES_SERVICE_HOST}) — Kubernetes with cgroup v2
     * leaves no file behind.
     */
    static boolean inContainer(Path root, Map<String, String> env) {
        if (Files.exists(root.resolve(".dockerenv")) || Files.exists(root.resolve("run/.containerenv"))) {
            return true;
        }
        if (env.containsKey("KUBERNETES_SERVICE_HOST") || !env.getOrDefault("container", "").isBlank()) {
            return true;
        }
        try {
            String cgroup = Files.readString(root.resolve("proc/1/cgroup")).toLowerCase(Locale.ROOT);
            return CGROUP_MARKERS.stream().anyMatch(cgroup::contains);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
