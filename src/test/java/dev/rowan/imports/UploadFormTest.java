package dev.rowan.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rowan.Problem;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading import forms as they stream in: every part found wherever the reads split it, the data on disk, and bad bodies refused. */
class UploadFormTest {
    @TempDir
    Path data;

    private static final String CSV = "a,b\r\n1,\"--x\r\n--notTheBoundary\"\r\n" + "z".repeat(100_000) + "\r\n";

    private static byte[] body(String boundary) {
        return ("preamble to ignore\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"table\"\r\n\r\nmy \"table\"\r\nsecond line\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"data \\\"1\\\".csv\"\r\nContent-Type: text/csv\r\n\r\n"
                + CSV + "\r\n--" + boundary + "--\r\nepilogue").getBytes(StandardCharsets.UTF_8);
    }

    /** Hands out at most {@code chunk} bytes per read, so that boundaries fall across reads. */
    private static InputStream trickle(byte[] bytes, int chunk) {
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    @Test
    void fieldsAndTheFileAreReadWhereverTheReadsSplitThem() throws IOException {
        for (int chunk : new int[] {1, 2, 7, 64, 65_536}) {
            UploadForm form = UploadForm.read(trickle(body("XyZ"), chunk), "multipart/form-data; boundary=XyZ", -1, new Uploads(data), Long.MAX_VALUE);
            assertEquals("my \"table\"\r\nsecond line", form.field("table"), "chunk " + chunk);
            assertEquals("data \"1\".csv", form.file().name());
            assertArrayEquals(CSV.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(form.file().path()), "chunk " + chunk);
            assertTrue(form.file().facts().validUtf8());
            assertNull(form.field("schema"));
            form.discard();
        }
        assertEquals(List.of(), uploads());
    }

    @Test
    void aQuotedBoundaryIsUnderstood() {
        UploadForm form = UploadForm.read(new ByteArrayInputStream(body("a b")), "multipart/form-data; boundary=\"a b\"", -1, new Uploads(data), Long.MAX_VALUE);
        assertEquals(CSV.length(), form.file().size());
        form.discard();
    }

    @Test
    void pastedTextInJsonIsStoredAsUtf8() throws IOException {
        String json = "{\"delimiter\": \";\", \"header\": true, \"text\": \"a;b\\n1;café\\n\", \"columns\": [{\"name\": \"x\"}]}";
        UploadForm form = UploadForm.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "application/json", -1, new Uploads(data), Long.MAX_VALUE);
        assertEquals(";", form.field("delimiter"));
        assertEquals("true", form.field("header"));
        assertEquals("[{\"name\":\"x\"}]", form.field("columns"));
        assertEquals("a;b\n1;café\n", Files.readString(form.file().path()));
        form.discard();
    }

    @Test
    void pastedTextThatIsNotAStringSaysSo() {
        for (String json : List.of("{\"text\": 12}", "{\"text\": [\"a,b\"]}", "{\"text\": {\"a\": 1}}")) {
            Problem p = assertThrows(Problem.class, () -> UploadForm.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                    "application/json", -1, new Uploads(data), Long.MAX_VALUE));
            assertEquals("malformed_json", p.code(), json);
            assertTrue(p.getMessage().startsWith("\"text\" must be a JSON string holding the data"), p.getMessage());
        }
    }

    @Test
    void brokenBodiesAreRefusedAndLeaveNoFile() throws IOException {
        Uploads uploads = new Uploads(data);
        byte[] whole = body("XyZ");
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length / 2);
        assertEquals("malformed_upload", assertThrows(Problem.class, () -> UploadForm.read(new ByteArrayInputStream(cut),
                "multipart/form-data; boundary=XyZ", -1, uploads, Long.MAX_VALUE)).code());
        assertEquals("malformed_upload", assertThrows(Problem.class, () -> UploadForm.read(new ByteArrayInputStream(whole),
                "multipart/form-data", -1, uploads, Long.MAX_VALUE)).code());
        assertEquals("unsupported_media_type", assertThrows(Problem.class, () -> UploadForm.read(new ByteArrayInputStream(whole),
                "text/csv", -1, uploads, Long.MAX_VALUE)).code());
        byte[] twoFiles = ("--B\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx\r\n--B\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\ny\r\n--B--\r\n")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals("malformed_upload", assertThrows(Problem.class, () -> UploadForm.read(new ByteArrayInputStream(twoFiles),
                "multipart/form-data; boundary=B", -1, uploads, Long.MAX_VALUE)).code());
        byte[] bigField = ("--B\r\nContent-Disposition: form-data; name=\"columns\"\r\n\r\n" + "x".repeat(1024 * 1024 + 1) + "\r\n--B--\r\n")
                .getBytes(StandardCharsets.UTF_8);
        Problem tooLarge = assertThrows(Problem.class, () -> UploadForm.read(new ByteArrayInputStream(bigField),
                "multipart/form-data; boundary=B", -1, uploads, Long.MAX_VALUE));
        assertEquals(413, tooLarge.status());
        assertEquals(List.of(), uploads());
    }

    @Test
    void anUploadThatCannotFitIsRefusedBeforeAnythingIsReadAndAFullDiskSaysSo() {
        Uploads uploads = new Uploads(data);
        Problem before = assertThrows(Problem.class, () -> UploadForm.read(new ByteArrayInputStream(body("XyZ")),
                "multipart/form-data; boundary=XyZ", Long.MAX_VALUE / 2, uploads, Long.MAX_VALUE));
        assertEquals(507, before.status());
        assertEquals("disk_full", before.code());
        Problem during = uploads.storageProblem(new FileSystemException(data.toString(), null, "No space left on device"));
        assertEquals(507, during.status());
        assertEquals("disk_full", during.code());
        assertTrue(during.hint().contains(data.toString()), during.hint());
    }

    private List<String> uploads() throws IOException {
        Path dir = data.resolve("imports");
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("upload-")).toList();
        }
    }
}
