package dev.rowan.builtin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Reads what initdb, pg_ctl and PostgreSQL printed while the built-in server failed to start. */
final class StartFailure {
    /** Below this much free space PostgreSQL cannot initialise or start (its write-ahead log alone takes 16 MB segments). */
    private static final long DISK_NEARLY_FULL = 32L * 1024 * 1024;

    enum Cause { DISK_FULL, ROOT, PORT_TAKEN, OTHER }

    private StartFailure() {
    }

    static Cause classify(String output, Path dataDirectory) {
        String said = output.toLowerCase(Locale.ROOT);
        if (said.contains("no space left on device") || said.contains("disk full") || nearlyFull(dataDirectory)) {
            return Cause.DISK_FULL;
        }
        if (said.contains("cannot be run as root") || said.contains("unshare")) {
            return Cause.ROOT;
        }
        if (said.contains("address already in use") || said.contains("could not bind")) {
            return Cause.PORT_TAKEN;
        }
        return Cause.OTHER;
    }

    /** The last line that states an error, without the program's name and level, or null when none does. */
    static String lastError(String output) {
        List<String> lines = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            String lower = line.toLowerCase(Locale.ROOT);
            for (String marker : List.of("fatal:", "panic:", "error:", "unshare:")) {
                int at = lower.indexOf(marker);
                if (at >= 0) {
                    String rest = line.substring(at + (marker.equals("unshare:") ? 0 : marker.length())).strip();
                    return rest.isEmpty() ? null : rest;
                }
            }
        }
        return null;
    }

    private static boolean nearlyFull(Path dataDirectory) {
        Path existing = dataDirectory;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            return existing != null && Files.getFileStore(existing).getUsableSpace() < DISK_NEARLY_FULL;
        } catch (IOException | RuntimeException unknown) {
            return false;
        }
    }
}
