package dev.rowan.imports;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;

/** A stored file opened as text in its encoding, without its byte order mark, counting the bytes read (for progress). */
final class FileText extends FilterInputStream {
    private long bytes;

    private FileText(InputStream in) {
        super(in);
    }

    /** Bytes of the file read so far (a little ahead of the records handed out, by one buffer). */
    long bytesRead() {
        return bytes;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) bytes++;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) bytes += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        bytes += skipped;
        return skipped;
    }

    /** The reader over the file, and the counter of its bytes. */
    record Opened(Reader reader, FileText counter) {
    }

    static Opened open(Path file, Encoding encoding) throws IOException {
        FileText counter = new FileText(Files.newInputStream(file));
        BufferedInputStream in = new BufferedInputStream(counter, 1 << 16);
        if (encoding.isUtf8()) {
            in.mark(3);
            byte[] start = in.readNBytes(3);
            boolean bom = start.length == 3 && (start[0] & 0xFF) == 0xEF && (start[1] & 0xFF) == 0xBB && (start[2] & 0xFF) == 0xBF;
            if (!bom) in.reset();
        }
        return new Opened(new InputStreamReader(in, encoding.decoder()), counter);
    }
}
