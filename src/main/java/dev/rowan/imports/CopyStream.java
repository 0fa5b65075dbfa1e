package dev.rowan.imports;

import java.sql.SQLException;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Rows in COPY's text format, encoded as UTF-8 and sent in 64 KiB pieces as they are produced:
 * columns separated by a tab, rows ended by a newline, NULL as {@code \N}, and backslash, tab,
 * newline and carriage return escaped, so that no value can end its field or row early (or, as
 * {@code \.}, the data). Values never hold NUL: the loader refuses those rows before they get here.
 *
 * <p>The rows go in several COPY statements of about {@link #BATCH_BYTES} each, in the same
 * transaction. The driver only learns that PostgreSQL refused a row when a COPY ends (until then
 * the server silently drops what follows), so a refusal near the start of a large file is found
 * after one batch rather than after sending the whole file. Each end waits for PostgreSQL to catch
 * up, so batches are large enough for that wait to be rare.
 */
final class CopyStream {
    static final long BATCH_BYTES = 64L * 1024 * 1024;
    private final CopyManager copies;
    private final String sql;
    private final byte[] buf = new byte[1 << 16];
    private CopyIn copy;
    private int n;
    private long rows;
    private long batchStart;
    private long batchBytes;

    CopyStream(CopyManager copies, String sql) {
        this.copies = copies;
        this.sql = sql;
    }

    /** Rows sent so far. */
    long rows() {
        return rows;
    }

    /** Rows sent before the current (or last) COPY statement; that statement numbers its rows from 1 in its error messages. */
    long batchStart() {
        return batchStart;
    }

    void row(String[] values) throws SQLException {
        if (copy == null) {
            copy = copies.copyIn(sql);
            batchStart = rows;
            batchBytes = 0;
        }
        for (int i = 0; i < values.length; i++) {
            if (i > 0) put((byte) '\t');
            String v = values[i];
            if (v == null) {
                put((byte) '\\');
                put((byte) 'N');
            } else {
                value(v);
            }
        }
        put((byte) '\n');
        rows++;
        if (batchBytes + n >= BATCH_BYTES) endBatch();
    }

    private void endBatch() throws SQLException {
        flush();
        CopyIn ending = copy;
        copy = null;
        ending.endCopy();
    }

    private void value(String v) throws SQLException {
        int len = v.length();
        int i = 0;
        if (len <= buf.length) {
            // The usual value, ASCII with nothing to escape, is copied as it is.
            room(len);
            for (; i < len; i++) {
                char c = v.charAt(i);
                if (c >= 0x80 || c == '\\' || c == '\t' || c == '\n' || c == '\r') break;
                buf[n++] = (byte) c;
            }
        }
        for (; i < len; i++) {
            char c = v.charAt(i);
            if (c < 0x80) {
                switch (c) {
                    case '\\' -> escape('\\');
                    case '\t' -> escape('t');
                    case '\n' -> escape('n');
                    case '\r' -> escape('r');
                    default -> put((byte) c);
                }
            } else if (c < 0x800) {
                room(2);
                buf[n++] = (byte) (0xC0 | c >> 6);
                buf[n++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(v.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, v.charAt(++i));
                room(4);
                buf[n++] = (byte) (0xF0 | cp >> 18);
                buf[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
                buf[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
                buf[n++] = (byte) (0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(c)) {
                put((byte) '?'); // a lone surrogate is not a character; decoders never produce one
            } else {
                room(3);
                buf[n++] = (byte) (0xE0 | c >> 12);
                buf[n++] = (byte) (0x80 | c >> 6 & 0x3F);
                buf[n++] = (byte) (0x80 | c & 0x3F);
            }
        }
    }

    private void escape(char c) throws SQLException {
        room(2);
        buf[n++] = '\\';
        buf[n++] = (byte) c;
    }

    private void put(byte b) throws SQLException {
        if (n == buf.length) flush();
        buf[n++] = b;
    }

    private void room(int bytes) throws SQLException {
        if (n + bytes > buf.length) flush();
    }

    private void flush() throws SQLException {
        if (n > 0) {
            copy.writeToCopy(buf, 0, n);
            batchBytes += n;
            n = 0;
        }
    }

    /** Sends what is left and ends the last COPY. */
    void finish() throws SQLException {
        if (copy != null) endBatch();
    }

    /** Abandons the COPY under way; the transaction must then be rolled back. */
    void cancel() throws SQLException {
        CopyIn cancelling = copy;
        copy = null;
        n = 0;
        if (cancelling != null && cancelling.isActive()) cancelling.cancelCopy();
    }
}
