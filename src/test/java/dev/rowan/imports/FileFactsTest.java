package dev.rowan.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What the upload learns about a file's bytes as they pass: the same verdict on UTF-8 as Java's own decoder, however the bytes are split. */
class FileFactsTest {
    private static FileFacts scan(byte[] bytes, int... cuts) {
        FileFacts.Scanner s = new FileFacts.Scanner();
        int from = 0;
        for (int cut : cuts) {
            s.update(bytes, from, cut - from);
            from = cut;
        }
        s.update(bytes, from, bytes.length - from);
        return s.facts(false);
    }

    /** Where Java's strict UTF-8 decoder stops, or -1 when it reads everything. */
    private static long firstInvalid(byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length * 2 + 4);
        CoderResult r = d.decode(in, out, true);
        if (r.isError()) return in.position();
        r = d.flush(out);
        return r.isError() ? in.position() : -1;
    }

    @Test
    void theVerdictOnUtf8IsTheDecodersOnRandomBytesSplitAnywhere() {
        Random random = new Random(11);
        byte[][] pieces = {"a".getBytes(StandardCharsets.UTF_8), "é".getBytes(StandardCharsets.UTF_8), "€".getBytes(StandardCharsets.UTF_8),
            "😀".getBytes(StandardCharsets.UTF_8), {(byte) 0xC0, (byte) 0x80}, {(byte) 0xE0, (byte) 0x80, (byte) 0x80},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xF5}, {(byte) 0xFF},
            {(byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xE9}};
        for (int round = 0; round < 20_000; round++) {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            int count = random.nextInt(8);
            for (int i = 0; i < count; i++) {
                byte[] p = pieces[random.nextInt(round % 2 == 0 ? 4 : pieces.length)];
                b.writeBytes(p);
            }
            byte[] bytes = b.toByteArray();
            int cut = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
            FileFacts f = scan(bytes, cut);
            long expected = firstInvalid(bytes);
            assertEquals(expected < 0, f.validUtf8(), java.util.HexFormat.of().formatHex(bytes));
            if (expected >= 0) assertEquals(expected, f.firstInvalidByte(), java.util.HexFormat.of().formatHex(bytes));
            assertEquals(bytes.length, f.size());
        }
    }

    @Test
    void aByteOrderMarkIsSeenEvenWhenItArrivesInPieces() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'a'};
        assertTrue(scan(bom, 1, 2).bom());
        assertTrue(scan(bom, 1, 2).validUtf8());
        assertFalse(scan(new byte[] {'a', (byte) 0xEF, (byte) 0xBB, (byte) 0xBF}).bom());
    }

    @Test
    void latin1AndWindows1252AreToldApartByBytes0x80To0x9F() {
        FileFacts latin = scan("café".getBytes(StandardCharsets.ISO_8859_1));
        assertFalse(latin.validUtf8());
        assertEquals(3, latin.firstInvalidByte());
        assertEquals(Encoding.LATIN_1, Encoding.detect(latin));
        assertEquals(Encoding.WINDOWS_1252, Encoding.detect(scan("€5 café".getBytes(java.nio.charset.Charset.forName("windows-1252")))));
        assertEquals(Encoding.UTF_8, Encoding.detect(scan("€5 café".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aCharacterCutByTheEndOfAStoredStartIsNotAnError() {
        byte[] cut = {'a', (byte) 0xC3};
        FileFacts.Scanner s = new FileFacts.Scanner();
        s.update(cut, 0, 2);
        assertTrue(s.facts(true).validUtf8());
        assertFalse(s.facts(false).validUtf8());
    }
}
