package dev.rowan.builtin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What Rowan needs to know about the built-in server's processes, read from /proc where the system has it. */
final class Processes {
    private Processes() {
    }

    /**
     * True when the process exists and has not ended. A process that ended but was never reaped by its parent
     * (a zombie: in a container where Rowan is PID 1, nobody reaps the server's processes) counts as ended,
     * though the system still answers for its process id.
     */
    static boolean isRunning(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        return state(pid).map(s -> s != 'Z' && s != 'X').orElse(true);
    }

    /** The state letter in /proc/PID/stat (R, S, D, Z, …), which follows the command name in parentheses. */
    private static Optional<Character> state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            int end = stat.lastIndexOf(')');
            return end < 0 || end + 2 >= stat.length() ? Optional.empty() : Optional.of(stat.charAt(end + 2));
        } catch (IOException | RuntimeException noProc) {
            return Optional.empty();
        }
    }

    /**
     * The running PostgreSQL processes working in this data directory: every server process has it as its
     * current directory, so this finds them even after their postmaster is gone and they were re-parented.
     */
    static List<ProcessHandle> postgresIn(Path dataDirectory) {
        Path wanted;
        try {
            wanted = dataDirectory.toRealPath();
        } catch (IOException e) {
            return List.of();
        }
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .filter(p -> workingDirectory(p.pid()).map(wanted::equals).orElse(false))
                .filter(p -> isRunning(p.pid()))
                .toList();
    }

    private static Optional<Path> workingDirectory(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }
}
