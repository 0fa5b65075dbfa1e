package dev.rowan.imports;

import dev.rowan.Problem;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folder {@code <data-dir>/imports}, where uploads wait for their import: each upload is
 * streamed to a file here (never held in memory) and deleted when its import ends. Files left by
 * a Rowan that stopped belong to imports that cannot resume, so they are removed at start.
 */
final class Uploads {
    private static final Logger LOG = LoggerFactory.getLogger(Uploads.class);
    private static final String PREFIX = "upload-";

    private final Path dir;

    Uploads(Path dataDir) {
        this.dir = dataDir.resolve("imports");
    }

    Path directory() {
        return dir;
    }

    /** Deletes what a previous run left behind. */
    void clearLeftovers() {
        if (!Files.isDirectory(dir)) return;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*")) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            LOG.warn("Could not remove old uploads in {}: {}", dir, e.getMessage());
        }
    }

    /** The id of this Rowan instance's data directory: the imports it ran are the ones it must mark stopped after a restart. */
    String instanceId() {
        Path file = dir.resolve("instance-id");
        try {
            ensureDirectory();
            if (Files.isRegularFile(file)) {
                String id = Files.readString(file).strip();
                if (!id.isEmpty()) return id;
            }
            String id = UUID.randomUUID().toString();
            Files.writeString(file, id + "\n");
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + file, e);
        }
    }

    /** A new, empty file for one upload, readable by Rowan's user only. */
    Path newFile() {
        try {
            ensureDirectory();
            return Files.createTempFile(dir, PREFIX, ".csv", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            throw storageProblem(e);
        }
    }

    OutputStream open(Path file) {
        try {
            return Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw storageProblem(e);
        }
    }

    /** Refuses an upload whose announced size cannot fit, before reading any of it. */
    void checkSpace(long announcedBytes) {
        if (announcedBytes <= 0) return;
        try {
            ensureDirectory();
            long free = Files.getFileStore(dir).getUsableSpace();
            if (announcedBytes > free) {
                throw diskFull(announcedBytes, free);
            }
        } catch (IOException e) {
            throw storageProblem(e);
        }
    }

    /** What writing an upload failed with, in words; a full disk is said to be one. */
    Problem storageProblem(IOException e) {
        long free = -1;
        try {
            free = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException | RuntimeException ignored) {
            // the explanation below does without the figure
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("No space left") || message.contains("Disk quota") || (free >= 0 && free < 1024 * 1024)) {
            return diskFull(-1, free);
        }
        LOG.error("Storing an upload in {} failed", dir, e);
        return new Problem(500, "upload_failed", "The upload could not be stored",
                "Rowan could not write the file to " + dir + " (" + (e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getClass().getSimpleName()) + ").",
                "Check that Rowan's data directory is writable; see Rowan's log.");
    }

    private Problem diskFull(long needed, long free) {
        return new Problem(507, "disk_full", "The disk is full",
                (needed > 0 ? "The upload (" + Sizes.bytes(needed) + ") does not fit" : "The upload did not fit")
                        + " on the disk of Rowan's data directory" + (free >= 0 ? " (" + Sizes.bytes(free) + " free)." : "."),
                "Free some space where Rowan keeps its data (" + dir.getParent() + "), or import a smaller file. Nothing was imported.");
    }

    private void ensureDirectory() throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }
}
