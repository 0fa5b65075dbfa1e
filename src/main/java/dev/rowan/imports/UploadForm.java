package dev.rowan.imports;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rowan.Problem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An import request as it arrives: the form's text fields, and the data (an uploaded {@code file},
 * or pasted {@code text}) streamed straight to a file under the imports folder. Reads
 * multipart/form-data itself, as the bytes come, so an upload of any size costs one buffer of
 * memory; a JSON body {@code {"text": ...}} (pasted data) is streamed the same way.
 */
public final class UploadForm {
    /** Text fields are settings, names and a column list: small. */
    private static final int MAX_FIELD_BYTES = 1024 * 1024;
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BOUNDARY = Pattern.compile("(?i)boundary=(\"([^\"]+)\"|[^;\\s]+)");
    private static final Pattern DISPOSITION_NAME = Pattern.compile("(?i)(?:^|;)\\s*name=(\"((?:[^\"\\\\]|\\\\.)*)\"|[^;\\s]+)");
    private static final Pattern DISPOSITION_FILENAME = Pattern.compile("(?i)(?:^|;)\\s*filename=(\"((?:[^\"\\\\]|\\\\.)*)\"|[^;\\s]+)");

    private final Map<String, String> fields;
    private final UploadedFile file;

    private UploadForm(Map<String, String> fields, UploadedFile file) {
        this.fields = fields;
        this.file = file;
    }

    /** A text field, or null when the form has none of that name (or it is empty). */
    public String field(String name) {
        String v = fields.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** The data, or null when the form carried neither {@code file} nor {@code text}. */
    UploadedFile file() {
        return file;
    }

    /** Deletes the stored data (when the request is answered without starting an import). */
    public void discard() {
        if (file != null) file.delete();
    }

    /**
     * Reads a request body: multipart/form-data, or (for pasted data) a JSON object. Of the data, the
     * first {@code keepBytes} are stored; the rest is read and dropped (a preview needs only the start).
     */
    static UploadForm read(InputStream body, String contentType, long contentLength, Uploads uploads, long keepBytes) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("application/json")) {
            return readJson(body, uploads, keepBytes);
        }
        if (!type.startsWith("multipart/form-data")) {
            throw new Problem(415, "unsupported_media_type", "Send the file as a form",
                    "This request takes multipart/form-data (a file field named \"file\", or pasted text in \"text\")"
                            + " or, for pasted text, a JSON object {\"text\": ...}.", null);
        }
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            throw malformed("The Content-Type multipart/form-data has no boundary.");
        }
        uploads.checkSpace(Math.min(contentLength, keepBytes));
        String boundary = m.group(2) != null ? m.group(2) : m.group(1);
        return new Multipart(body, boundary, uploads, keepBytes).read();
    }

    private static UploadForm readJson(InputStream body, Uploads uploads, long keepBytes) {
        Map<String, String> fields = new LinkedHashMap<>();
        UploadedFile file = null;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new Problem(400, "malformed_json", "The request body is not a JSON object", "Send {\"text\": \"...\"}.", null);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("text") && value == JsonToken.VALUE_STRING) {
                    file = storeText(p, uploads, keepBytes);
                } else if (name.equals("text") && value != JsonToken.VALUE_NULL) {
                    // Said here: taken as a field, it would leave the body with "no text" at all.
                    throw new Problem(400, "malformed_json", "The pasted data is not a string",
                            "\"text\" must be a JSON string holding the data, not " + (value == JsonToken.START_ARRAY ? "an array"
                                    : value == JsonToken.START_OBJECT ? "an object" : value.isNumeric() ? "a number" : "true or false") + ".",
                            "Send {\"text\": \"a,b\\n1,2\"}.");
                } else if (value.isScalarValue()) {
                    fields.put(name, value == JsonToken.VALUE_NULL ? null : p.getText());
                } else {
                    fields.put(name, p.readValueAsTree().toString());
                }
            }
        } catch (IOException e) {
            if (file != null) file.delete();
            throw new Problem(400, "malformed_json", "The request body is not valid JSON",
                    "The body could not be read as JSON: " + e.getMessage().lines().findFirst().orElse(""), "Send {\"text\": \"...\"}.");
        } catch (RuntimeException e) {
            if (file != null) file.delete();
            throw e;
        }
        return new UploadForm(fields, file);
    }

    private static UploadedFile storeText(JsonParser p, Uploads uploads, long keepBytes) throws IOException {
        Path path = uploads.newFile();
        FileSink sink = new FileSink(uploads, path, keepBytes);
        try (Writer w = new OutputStreamWriter(sink, StandardCharsets.UTF_8)) {
            p.getText(w);
        } catch (RuntimeException | IOException e) {
            sink.deleteQuietly();
            throw e;
        }
        return sink.stored(null);
    }

    static Problem malformed(String detail) {
        return new Problem(400, "malformed_upload", "The upload could not be read", detail,
                "Send multipart/form-data with the file in a field named \"file\", as an HTML form or fetch with FormData does.");
    }

    /**
     * Writes an upload to its file, learning its facts on the way; a write that fails is a clear
     * problem (a full disk says so). Bytes beyond {@code keep} are counted and dropped.
     */
    private static final class FileSink extends OutputStream {
        private final Uploads uploads;
        private final Path path;
        private final long keep;
        private final OutputStream out;
        private final FileFacts.Scanner scanner = new FileFacts.Scanner();
        private long received;

        FileSink(Uploads uploads, Path path, long keep) {
            this.uploads = uploads;
            this.path = path;
            this.keep = keep;
            this.out = uploads.open(path);
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            int kept = (int) Math.max(0, Math.min(len, keep - received));
            received += len;
            if (kept == 0) return;
            scanner.update(b, off, kept);
            try {
                out.write(b, off, kept);
            } catch (IOException e) {
                deleteQuietly();
                throw uploads.storageProblem(e);
            }
        }

        @Override
        public void close() {
            try {
                out.close();
            } catch (IOException e) {
                deleteQuietly();
                throw uploads.storageProblem(e);
            }
        }

        UploadedFile stored(String name) {
            boolean truncated = received > keep;
            // A preview (which keeps only a start) may also have been sent only the start of a file, as the web page does: cut anywhere.
            boolean startOnly = truncated || keep < Long.MAX_VALUE;
            return new UploadedFile(path, name, scanner.facts(startOnly), truncated ? received : -1);
        }

        void deleteQuietly() {
            try {
                out.close();
            } catch (IOException ignored) {
                // the file goes anyway
            }
            try {
                java.nio.file.Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // a leftover is removed at the next start
            }
        }
    }

    /** multipart/form-data (RFC 7578), read part by part from the stream. */
    private static final class Multipart {
        private final InputStream in;
        private final byte[] delimiter;
        private final Uploads uploads;
        private final long keepBytes;
        private final byte[] buf = new byte[1 << 16];
        private int start;
        private int end;
        private boolean eof;

        Multipart(InputStream in, String boundary, Uploads uploads, long keepBytes) {
            this.in = in;
            this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            this.uploads = uploads;
            this.keepBytes = keepBytes;
            // The first boundary has no line end before it; pretending one is there lets one search find every boundary.
            buf[0] = '\r';
            buf[1] = '\n';
            end = 2;
        }

        UploadForm read() {
            Map<String, String> fields = new LinkedHashMap<>();
            UploadedFile file = null;
            try {
                if (!skipTo(null)) throw malformed("The body holds no form part.");
                while (true) {
                    if (!ensure(2)) throw malformed("The form ends without its closing boundary.");
                    if (buf[start] == '-' && buf[start + 1] == '-') break;
                    skipLineEnd();
                    Map<String, String> headers = headers();
                    String disposition = headers.getOrDefault("content-disposition", "");
                    String name = parameter(DISPOSITION_NAME, disposition);
                    if (name == null) throw malformed("A form part has no name.");
                    String fileName = parameter(DISPOSITION_FILENAME, disposition);
                    if (name.equals("file") || name.equals("text")) {
                        if (file != null) throw new Problem(400, "malformed_upload", "Send one file",
                                "The form holds more than one file or text field.", "Send the data once, in \"file\" or in \"text\".");
                        Path path = uploads.newFile();
                        FileSink sink = new FileSink(uploads, path, keepBytes);
                        try {
                            if (!skipTo(sink)) throw malformed("The upload ended before the file did; was it interrupted?");
                            sink.close();
                        } catch (RuntimeException e) {
                            sink.deleteQuietly();
                            throw e;
                        }
                        file = sink.stored(name.equals("file") ? fileName : null);
                    } else {
                        ByteArrayOutputStream value = new ByteArrayOutputStream();
                        OutputStream capped = new OutputStream() {
                            @Override
                            public void write(int b) {
                                write(new byte[] {(byte) b}, 0, 1);
                            }

                            @Override
                            public void write(byte[] b, int off, int len) {
                                if (value.size() + len > MAX_FIELD_BYTES) {
                                    throw new Problem(413, "field_too_large", "A form field is too large",
                                            "The field \"" + name + "\" is larger than 1 MiB.", "Send the data itself in \"file\".");
                                }
                                value.write(b, off, len);
                            }
                        };
                        if (!skipTo(capped)) throw malformed("The upload ended inside the field \"" + name + "\".");
                        fields.put(name, value.toString(StandardCharsets.UTF_8));
                    }
                }
                return new UploadForm(fields, file);
            } catch (IOException e) {
                if (file != null) file.delete();
                throw malformed("The upload broke off (" + e.getClass().getSimpleName() + "); nothing was stored.");
            } catch (RuntimeException e) {
                if (file != null) file.delete();
                throw e;
            }
        }

        /**
         * Passes bytes to {@code sink} (null: drops them) up to the next delimiter, and consumes it.
         * False when the input ends first.
         */
        private boolean skipTo(OutputStream sink) throws IOException {
            while (true) {
                int found = indexOf(start, end);
                if (found >= 0) {
                    if (sink != null) sink.write(buf, start, found - start);
                    start = found + delimiter.length;
                    return true;
                }
                int keep = Math.min(delimiter.length - 1, end - start);
                int safe = end - keep;
                if (sink != null && safe > start) sink.write(buf, start, safe - start);
                start = safe;
                if (!refill()) return false;
            }
        }

        private int indexOf(int from, int to) {
            byte first = delimiter[0];
            outer:
            for (int i = from; i <= to - delimiter.length; i++) {
                if (buf[i] != first) continue;
                for (int j = 1; j < delimiter.length; j++) {
                    if (buf[i + j] != delimiter[j]) continue outer;
                }
                return i;
            }
            return -1;
        }

        /** Moves what is left to the front and reads more; false at the end of input. */
        private boolean refill() throws IOException {
            if (eof) return false;
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
            }
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                eof = true;
                return false;
            }
            end += n;
            return true;
        }

        private boolean ensure(int n) throws IOException {
            while (end - start < n) {
                if (!refill()) return false;
            }
            return true;
        }

        /** After a boundary: optional spaces (transport padding), then CRLF. */
        private void skipLineEnd() throws IOException {
            while (ensure(1) && (buf[start] == ' ' || buf[start] == '\t')) start++;
            if (!ensure(2) || buf[start] != '\r' || buf[start + 1] != '\n') throw malformed("A boundary line is malformed.");
            start += 2;
        }

        private Map<String, String> headers() throws IOException {
            Map<String, String> headers = new LinkedHashMap<>();
            int total = 0;
            while (true) {
                String line = line();
                total += line.length() + 2;
                if (total > MAX_HEADER_BYTES) throw malformed("The headers of a form part are too long.");
                if (line.isEmpty()) return headers;
                int colon = line.indexOf(':');
                if (colon > 0) headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
        }

        private String line() throws IOException {
            int scanned = 0;
            while (true) {
                for (int i = start + scanned; i + 1 < end; i++) {
                    if (buf[i] == '\r' && buf[i + 1] == '\n') {
                        String line = new String(buf, start, i - start, StandardCharsets.UTF_8);
                        start = i + 2;
                        return line;
                    }
                }
                scanned = Math.max(0, end - start - 1);
                if (end - start >= MAX_HEADER_BYTES) throw malformed("The headers of a form part are too long.");
                if (!refill()) throw malformed("The upload ended inside the headers of a form part.");
            }
        }

        private static String parameter(Pattern p, String header) {
            Matcher m = p.matcher(header);
            if (!m.find()) return null;
            return m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(1);
        }
    }
}
