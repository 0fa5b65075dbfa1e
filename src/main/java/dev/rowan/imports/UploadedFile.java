package dev.rowan.imports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file stored under the data directory's imports folder, with what was learnt about its bytes;
 * {@code name} as the browser sent it. {@code receivedBytes} is -1 when all of it was stored, else
 * the size of the whole upload, of which only the start was kept (a preview).
 */
record UploadedFile(Path path, String name, FileFacts facts, long receivedBytes) {

    long size() {
        return facts.size();
    }

    boolean truncated() {
        return receivedBytes >= 0;
    }

    void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
