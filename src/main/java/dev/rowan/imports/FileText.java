package dev.rowan.imports;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stored file opened as text in its encoding, without its byte order mark, counting the bytes read
 * (for progress); of the stored start of a larger file, only its whole characters.
 */
final class FileText extends FilterInputStream {
    private long bytes;
    private final long limit;

    private FileText(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    /** Bytes of the file read so far (a little ahead of the records handed out, by one buffer). */
    long bytesRead() {
        return bytes;
    }

    @Override
    public int read() throws IOException {
        if (bytes >= limit) return -1;
        int b = super.read();
        if (b >= 0) bytes++;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (bytes >= limit) return -1;
        int n = super.read(b, off, (int) Math.min(len, limit - bytes));
        if (n > 0) bytes += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(Math.min(n, limit - bytes));
        bytes += skipped;
        return skipped;
    }

    /** The reader over the file, and the counter of its bytes. */
    record Opened(Reader reader, FileText counter) {
    }

    static Opened open(Path file, Encoding encoding) throws IOException {
        return open(file, encoding, Long.MAX_VALUE);
    }

    /**
     * The stored upload as text; when it may be only the start of the data (a preview), without the
     * character the end of that start may cut, which its decoder would take for bytes that are not text.
     */
    static Opened open(UploadedFile file, Encoding encoding) throws IOException {
        return open(file.path(), encoding, file.facts().startOnly() ? wholeCharacters(file.path(), file.size(), encoding) : Long.MAX_VALUE);
    }

    private static Opened open(Path file, Encoding encoding, long limit) throws IOException {
        FileText counter = new FileText(Files.newInputStream(file), limit);
        BufferedInputStream in = new BufferedInputStream(counter, 1 << 16);
        byte[] bom = encoding.bom();
        if (bom.length > 0) {
            in.mark(bom.length);
            byte[] start = in.readNBytes(bom.length);
            if (!encoding.startsWithBom(start, start.length)) in.reset();
        }
        return new Opened(new InputStreamReader(in, encoding.decoder()), counter);
    }

    /** How many of the {@code size} bytes of a file's start hold whole characters: up to where a character cut by the end begins. */
    static long wholeCharacters(Path file, long size, Encoding encoding) throws IOException {
        int unit = encoding.unitBytes();
        if (unit == 4) return size - size % 4;
        if (unit == 1 && !encoding.isUtf8()) return size;
        byte[] tail = new byte[(int) Math.min(4, size)];
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            f.seek(size - tail.length);
            f.readFully(tail);
        }
        if (unit == 2) {
            long whole = size - size % 2;
            int at = (int) (whole - 2 - (size - tail.length));
            if (at < 0) return whole;
            int high = encoding.littleEndian() ? tail[at + 1] & 0xFF : tail[at] & 0xFF;
            return (high & 0xFC) == 0xD8 ? whole - 2 : whole; // a high surrogate whose low one was cut off
        }
        for (int i = tail.length - 1; i >= 0; i--) {
            int x = tail[i] & 0xFF;
            if ((x & 0xC0) == 0x80) continue; // a continuation byte: its lead is further back
            int length = x < 0x80 ? 1 : x >= 0xF0 ? 4 : x >= 0xE0 ? 3 : 2;
            return tail.length - i < length ? size - (tail.length - i) : size;
        }
        return size;
    }
}
