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
        byte[] bom = encoding.bom();
        if (bom.length > 0) {
            in.mark(bom.length);
            byte[] start = in.readNBytes(bom.length);
            if (!encoding.startsWithBom(start, start.length)) in.reset();
        }
        return new Opened(new InputStreamReader(in, encoding.decoder()), counter);
    }
}
