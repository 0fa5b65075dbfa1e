package dev.rowan.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rowan.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detection's answers for files it cannot read as they are: each says what is wrong with the file, not something else. */
class SnifferTest {
    @TempDir
    Path dir;

    /** The file as an upload stores it; {@code cut}: only its start was kept, as for a preview of a larger file. */
    private UploadedFile stored(byte[] bytes, boolean cut) throws IOException {
        Path path = Files.write(dir.resolve("upload-" + System.nanoTime() + ".csv"), bytes);
        FileFacts.Scanner s = new FileFacts.Scanner();
        s.update(bytes, 0, bytes.length);
        return new UploadedFile(path, "data.csv", s.facts(cut), cut ? bytes.length + 1_000_000L : -1);
    }

    private static CsvSettings.Choice encoding(String id) {
        return CsvSettings.Choice.of(null, null, null, id);
    }

    @Test
    void aPreviewWhoseOnlyRecordIsCutByTheStoredStartSaysTheRecordIsTooLongNotThatTheFileIsEmpty() throws IOException {
        UploadedFile file = stored(("id,\"note\n" + "x".repeat(10_000)).getBytes(StandardCharsets.UTF_8), true);
        Problem p = assertThrows(Problem.class, () -> Sniffer.detect(file, CsvSettings.Choice.NONE));
        assertEquals("record_too_long", p.code());
        assertTrue(p.getMessage().startsWith("The record starting on line 1 does not end within the first 9.8 KiB of the file"), p.getMessage());
        assertTrue(p.hint().contains("quote character"), p.hint());
    }

    @Test
    void aCharacterCutByTheStoredStartEndsTheSampleThere() throws IOException {
        byte[] bytes = "a,b\n1,2\n3,caf\u00e9".getBytes(StandardCharsets.UTF_8);
        UploadedFile file = stored(Arrays.copyOf(bytes, bytes.length - 1), true);
        Sniffer.Detection d = Sniffer.detect(file, CsvSettings.Choice.NONE);
        assertEquals(Encoding.UTF_8, d.settings().encoding());
        assertEquals(1, d.rows().size(), "the cut record is left out");
        assertEquals(List.of("1", "2"), List.of(d.rows().get(0).fields()));
    }

    @Test
    void aUtf16FileIsReadWithoutItsByteOrderMarkAndIsRefusedInAnotherEncoding() throws IOException {
        byte[] text = "name\tcity\r\nZo\u00eb\t\u6771\u4eac\r\n".getBytes(StandardCharsets.UTF_16LE);
        byte[] bytes = new byte[text.length + 2];
        bytes[0] = (byte) 0xFF;
        bytes[1] = (byte) 0xFE;
        System.arraycopy(text, 0, bytes, 2, text.length);
        UploadedFile file = stored(bytes, false);
        Sniffer.Detection d = Sniffer.detect(file, CsvSettings.Choice.NONE);
        assertEquals(Encoding.UTF_16LE, d.settings().encoding());
        assertEquals(List.of("name", "city"), d.header());
        assertEquals(List.of("Zo\u00eb", "\u6771\u4eac"), List.of(d.rows().get(0).fields()));
        assertEquals(List.of(), d.warnings());
        assertEquals(Encoding.UTF_16LE, Sniffer.detect(file, encoding("utf16le")).settings().encoding());
        Problem be = assertThrows(Problem.class, () -> Sniffer.detect(file, encoding("utf-16be")));
        assertEquals("encoding_mismatch", be.code());
        assertEquals("At byte offset 0 the file holds bytes that are not a UTF-16BE character.", be.getMessage(),
                "read big-endian, its byte order mark is U+FFFE, which is not a character");
        Problem utf8 = assertThrows(Problem.class, () -> Sniffer.detect(file, encoding("utf-8")));
        assertEquals("encoding_mismatch", utf8.code());
        assertEquals("The file is not UTF-8", utf8.title());
        assertEquals("Leave the encoding to be detected, or choose utf-16le.", utf8.hint());
    }

    @Test
    void aFileThatLooksLikeUtf16ButIsNotValidToTheEndSaysWhere() throws IOException {
        byte[] text = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_16BE);
        byte[] bytes = Arrays.copyOf(text, text.length + 2);
        bytes[text.length] = (byte) 0xDC; // a low surrogate with no high one before it
        Problem p = assertThrows(Problem.class, () -> Sniffer.detect(stored(bytes, false), CsvSettings.Choice.NONE));
        assertEquals("encoding_mismatch", p.code());
        assertEquals("The file looks like UTF-16BE (from where its NUL bytes fall), but at byte offset " + text.length
                + " the file holds bytes that are not a UTF-16BE character.", p.getMessage());
    }

    @Test
    void aBinaryFileIsNotTextUnlessAnEncodingIsChosen() throws IOException {
        byte[] bytes = new byte[5000];
        new java.util.Random(5).nextBytes(bytes);
        UploadedFile file = stored(bytes, false);
        Problem p = assertThrows(Problem.class, () -> Sniffer.detect(file, CsvSettings.Choice.NONE));
        assertEquals("not_text", p.code());
        assertTrue(p.getMessage().contains(" of the first 4.9 KiB of the file are control characters"), p.getMessage());
        assertEquals(Encoding.LATIN_1, Sniffer.detect(file, encoding("latin-1")).settings().encoding(), "a person's choice is taken as given");
    }

    @Test
    void aFileInAnotherScriptsOwnEncodingIsNotPassedOffAsLatin1() throws IOException {
        UploadedFile file = stored("名前,都市\n田中,東京\n佐藤,大阪\n".getBytes(java.nio.charset.Charset.forName("Shift_JIS")), false);
        Problem p = assertThrows(Problem.class, () -> Sniffer.detect(file, CsvSettings.Choice.NONE));
        assertEquals("unknown_encoding", p.code());
        assertTrue(p.getMessage().startsWith("The file is not UTF-8 (at byte offset 0), and it does not read as Latin-1 or Windows-1252"), p.getMessage());
        assertTrue(p.hint().startsWith("Save the file as UTF-8"), p.hint());
        assertEquals(Encoding.WINDOWS_1252, Sniffer.detect(file, encoding("windows-1252")).settings().encoding(), "a person's choice is taken as given");
    }

    @Test
    void unicodeEncodingsAreChosenByAnySpellingAndUtf16WithoutAByteOrderAsksForOne() {
        assertEquals(Encoding.UTF_16LE, encoding("UTF_16LE").encoding());
        assertEquals(Encoding.UTF_32BE, encoding("utf32be").encoding());
        assertEquals(Encoding.UTF_8, encoding("UTF8").encoding());
        Problem p = assertThrows(Problem.class, () -> encoding("UTF-16"));
        assertEquals("invalid_settings", p.code());
        assertEquals("\"UTF-16\" does not say the byte order of its characters.", p.getMessage());
        assertTrue(p.hint().startsWith("Choose utf-16le (the usual one, little-endian) or utf-16be"), p.hint());
    }

    @Test
    void anEmptyFileSaysWhatLittleItHolds() throws IOException {
        assertEquals("The file holds no records.", emptyDetail(new byte[0]));
        assertEquals("The file holds no records (only blank lines).", emptyDetail("\n\r\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("The file holds no records (only a byte order mark).", emptyDetail(new byte[] {(byte) 0xFE, (byte) 0xFF}));
        assertEquals("The file holds no records (only a byte order mark and blank lines).",
                emptyDetail(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '\n'}));
    }

    private String emptyDetail(byte[] bytes) throws IOException {
        UploadedFile file = stored(bytes, false);
        Problem p = assertThrows(Problem.class, () -> Sniffer.detect(file, CsvSettings.Choice.NONE));
        assertEquals("empty_file", p.code());
        return p.getMessage();
    }
}
