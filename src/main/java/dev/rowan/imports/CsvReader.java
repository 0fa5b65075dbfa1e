package dev.rowan.imports;

import dev.rowan.Problem;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;

/**
 * Reads delimited text one record at a time, as the file is read: RFC 4180 quoting ({@code ""} inside
 * a quoted field is one quote; a quoted field may hold delimiters and line breaks), any delimiter,
 * and \n, \r\n or \r line ends. Each record knows the physical line it starts on, so a bad record can
 * be named the way an editor shows the file. Lines with nothing on them are skipped.
 *
 * <p>A record that cannot be read as written is still returned, with {@link #problem()} saying why
 * (a quote that is never closed, text after a closing quote): the caller decides whether to skip it.
 * A record longer than {@link #MAX_RECORD_CHARS} stops the reading ({@link RecordTooLong}), because
 * that is almost always a quote that is never closed swallowing the rest of the file.
 */
final class CsvReader implements Closeable {
    /** 16 Mi characters (32 MiB of memory) per record. */
    static final int MAX_RECORD_CHARS = 16 * 1024 * 1024;

    /** A record too long to hold: reading cannot continue past it. The message says which, the limit, and what to check. */
    static final class RecordTooLong extends IOException {
        final long line;
        private final String detail;
        private final String hint;

        RecordTooLong(long line, int limit, char delimiter, char quote) {
            this(line, "The record starting on line " + line + " is longer than " + limit / (1024 * 1024)
                    + " Mi characters, the most Rowan reads as one record.", delimiter, quote);
        }

        /** {@code detail}: what is too long, for a record that is cut off for another reason than the limit. */
        RecordTooLong(long line, String detail, char delimiter, char quote) {
            super(detail + " " + hint(delimiter, quote));
            this.line = line;
            this.detail = detail;
            this.hint = hint(delimiter, quote);
        }

        private static String hint(char delimiter, char quote) {
            String quoteName = quote == 0 ? "none" : quote == '"' ? "the double quote" : quote == '\'' ? "the single quote" : CsvSettings.display(quote);
            String settings = "check the quote character (now " + quoteName + ") and the delimiter (now " + CsvSettings.display(delimiter) + ")";
            return quote == 0
                    ? "Records end at line breaks; unless the file really holds such a long value, " + settings + "."
                    : "A quote that is never closed usually causes this, swallowing the rest of the file: " + settings
                            + "; choose quote \"none\" if quotes in this file are only text.";
        }

        Problem problem() {
            return new Problem(422, "record_too_long", "A record is too long", detail, hint);
        }
    }

    private final Reader in;
    private final char delimiter;
    private final char quote;
    private final int maxRecordChars;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int lim;
    private boolean eof;
    private long line = 1;
    private boolean afterCr;

    private String[] fields = new String[16];
    private int count;
    private long recordLine;
    private String problem;
    private int recordChars;
    private final StringBuilder sb = new StringBuilder();

    /** {@code quote} 0 means fields are never quoted. */
    CsvReader(Reader in, char delimiter, char quote) {
        this(in, delimiter, quote, MAX_RECORD_CHARS);
    }

    CsvReader(Reader in, char delimiter, char quote, int maxRecordChars) {
        this.in = in;
        this.delimiter = delimiter;
        this.quote = quote;
        this.maxRecordChars = maxRecordChars;
    }

    /** Reads the next record; false at the end of the input. */
    boolean next() throws IOException {
        count = 0;
        problem = null;
        recordChars = 0;
        int c;
        while ((c = peek()) == '\n' || c == '\r') {
            newline();
        }
        if (c < 0) return false;
        recordLine = line;
        while (true) {
            String value = quote != 0 && peek() == quote ? quoted() : plain();
            recordChars += value.length();
            if (recordChars > maxRecordChars) throw new RecordTooLong(recordLine, maxRecordChars, delimiter, quote);
            add(value);
            c = peek();
            if (c == delimiter) {
                pos++;
                afterCr = false;
            } else {
                if (c >= 0) newline();
                return true;
            }
        }
    }

    /** The number of fields in the current record. */
    int size() {
        return count;
    }

    String get(int i) {
        return fields[i];
    }

    String[] toArray() {
        return Arrays.copyOf(fields, count);
    }

    /** The physical line (from 1) on which the current record starts. */
    long line() {
        return recordLine;
    }

    /** Why the current record is not well formed, or null. */
    String problem() {
        return problem;
    }

    private void add(String value) {
        if (count == fields.length) fields = Arrays.copyOf(fields, count * 2);
        fields[count++] = value;
    }

    private int peek() throws IOException {
        if (pos == lim && !fill()) return -1;
        return buf[pos];
    }

    private boolean fill() throws IOException {
        if (eof) return false;
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) {
            eof = true;
            return false;
        }
        pos = 0;
        lim = n;
        return true;
    }

    /** Consumes one line end: \n, \r\n or \r. */
    private void newline() throws IOException {
        char c = buf[pos++];
        line++;
        if (c == '\r' && peek() == '\n') pos++;
        afterCr = false;
    }

    /** An unquoted field, up to a delimiter, a line end or the end of input. Quotes inside it are text. */
    private String plain() throws IOException {
        int start = pos;
        int i = start;
        while (i < lim) {
            char c = buf[i];
            if (c == delimiter || c == '\n' || c == '\r') {
                pos = i;
                return new String(buf, start, i - start);
            }
            i++;
        }
        sb.setLength(0);
        sb.append(buf, start, lim - start);
        pos = lim;
        return restOfPlain();
    }

    private String restOfPlain() throws IOException {
        while (fill()) {
            int start = pos;
            int i = start;
            while (i < lim) {
                char c = buf[i];
                if (c == delimiter || c == '\n' || c == '\r') {
                    sb.append(buf, start, i - start);
                    pos = i;
                    return sb.toString();
                }
                i++;
            }
            sb.append(buf, start, lim - start);
            pos = lim;
            if (recordChars + sb.length() > maxRecordChars) throw new RecordTooLong(recordLine, maxRecordChars, delimiter, quote);
        }
        return sb.toString();
    }

    /** A quoted field; the opening quote is next. Line ends inside it count as lines of the file. */
    private String quoted() throws IOException {
        long opened = line;
        pos++;
        sb.setLength(0);
        while (true) {
            if (pos == lim && !fill()) {
                problem = "the quote opened on line " + opened + " is never closed";
                return sb.toString();
            }
            int start = pos;
            int i = start;
            while (i < lim && buf[i] != quote) {
                char c = buf[i];
                if (c == '\n') {
                    if (!afterCr) line++;
                    afterCr = false;
                } else if (c == '\r') {
                    line++;
                    afterCr = true;
                } else {
                    afterCr = false;
                }
                i++;
            }
            sb.append(buf, start, i - start);
            pos = i;
            if (recordChars + sb.length() > maxRecordChars) throw new RecordTooLong(recordLine, maxRecordChars, delimiter, quote);
            if (i == lim) continue;
            pos++;
            afterCr = false;
            int next = peek();
            if (next == quote) {
                sb.append(quote);
                pos++;
            } else if (next < 0 || next == delimiter || next == '\n' || next == '\r') {
                return sb.toString();
            } else {
                if (problem == null) problem = "there is text after the closing quote of field " + (count + 1);
                String quotedPart = sb.toString();
                return quotedPart + plain();
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
