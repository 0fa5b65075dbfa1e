package dev.rowan.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What the upload learns about a file's bytes as they pass: the same verdict on UTF-8 (and on UTF-16
 * and UTF-32) as Java's own decoder, however the bytes are split; UTF-16 and UTF-32 told by their byte
 * order marks or NUL bytes; and files that are not text.
 */
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

    private static final Charset UTF_32LE = Charset.forName("UTF-32LE");
    private static final Charset UTF_32BE = Charset.forName("UTF-32BE");

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) b.writeBytes(p);
        return b.toByteArray();
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (byte) values[i];
        return out;
    }

    /** Where Java's strict decoder of {@code encoding} stops, or -1; in UTF-32 a surrogate code point is refused too (Java lets it through). */
    private static long firstInvalid(byte[] bytes, Encoding encoding) {
        CharsetDecoder d = encoding.decoder();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length * 2 + 4);
        CoderResult r = d.decode(in, out, true);
        long javaSays = r.isError() ? in.position() : d.flush(out).isError() ? in.position() : -1;
        if (encoding.unitBytes() == 2) {
            // U+FFFE, a byte order mark of the other byte order, is refused too (Java lets it through).
            for (int i = 0; i + 2 <= bytes.length && (javaSays < 0 || i < javaSays); i += 2) {
                int u = encoding.littleEndian() ? (bytes[i] & 0xFF) | (bytes[i + 1] & 0xFF) << 8 : (bytes[i] & 0xFF) << 8 | (bytes[i + 1] & 0xFF);
                if (u == 0xFFFE) return i;
            }
        }
        if (encoding.unitBytes() == 4) {
            for (int i = 0; i + 4 <= bytes.length && (javaSays < 0 || i < javaSays); i += 4) {
                int cp = encoding.littleEndian() ? ByteBuffer.wrap(bytes, i, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt()
                        : ByteBuffer.wrap(bytes, i, 4).getInt();
                if (cp >= 0xD800 && cp <= 0xDFFF) return i;
            }
        }
        return javaSays;
    }

    @Test
    void theVerdictOnUtf16AndUtf32IsTheDecodersOnRandomUnitsSplitAnywhere() {
        Random random = new Random(16);
        for (Encoding e : List.of(Encoding.UTF_16LE, Encoding.UTF_16BE, Encoding.UTF_32LE, Encoding.UTF_32BE)) {
            Charset cs = switch (e) {
                case UTF_16LE -> StandardCharsets.UTF_16LE;
                case UTF_16BE -> StandardCharsets.UTF_16BE;
                case UTF_32LE -> UTF_32LE;
                default -> UTF_32BE;
            };
            byte[][] valid = {"a".getBytes(cs), "é".getBytes(cs), "東".getBytes(cs), "😀".getBytes(cs), "\uFEFF".getBytes(cs)};
            byte[][] invalid = e.unitBytes() == 2
                    ? new byte[][] {units(e, 0xD800), units(e, 0xDC00), units(e, 0xFFFE), {0x41}}
                    : new byte[][] {units(e, 0xD800), units(e, 0x110000), units(e, 0xFFFFFFFF), {0x41, 0}};
            for (int round = 0; round < 5_000; round++) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                int count = random.nextInt(8);
                for (int i = 0; i < count; i++) {
                    b.writeBytes(round % 2 == 0 || random.nextInt(4) > 0 ? valid[random.nextInt(valid.length)] : invalid[random.nextInt(invalid.length)]);
                }
                byte[] bytes = b.toByteArray();
                FileFacts.UnitCheck check = new FileFacts.UnitCheck(e);
                int cut = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
                check.update(bytes, 0, cut);
                check.update(bytes, cut, bytes.length - cut);
                assertEquals(firstInvalid(bytes, e), check.firstInvalid(false), e + " " + HexFormat.of().formatHex(bytes));
            }
        }
    }

    /** One code unit (or code point, for UTF-32) as {@code e} writes it, however invalid. */
    private static byte[] units(Encoding e, int value) {
        ByteBuffer b = ByteBuffer.allocate(e.unitBytes()).order(e.littleEndian() ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
        if (e.unitBytes() == 2) b.putShort((short) value); else b.putInt(value);
        return b.array();
    }

    @Test
    void utf16AndUtf32AreToldByTheirByteOrderMarksEvenInPieces() {
        String text = "name,city\nZoë,東京\n";
        FileFacts le16 = scan(concat(bytes(0xFF, 0xFE), text.getBytes(StandardCharsets.UTF_16LE)), 1);
        assertEquals(Encoding.UTF_16LE, le16.wide());
        assertTrue(le16.wideBom());
        assertEquals(2, le16.bomLength());
        assertEquals(-1, le16.wideInvalidByte());
        assertEquals(Encoding.UTF_16LE, Encoding.detect(le16));
        assertEquals(Encoding.UTF_16BE, scan(concat(bytes(0xFE, 0xFF), text.getBytes(StandardCharsets.UTF_16BE)), 1).wide());
        FileFacts le32 = scan(concat(bytes(0xFF, 0xFE, 0, 0), text.getBytes(UTF_32LE)), 1, 3);
        assertEquals(Encoding.UTF_32LE, le32.wide(), "not UTF-16LE, whose mark UTF-32LE's begins with");
        assertEquals(4, le32.bomLength());
        assertEquals(Encoding.UTF_32BE, scan(concat(bytes(0, 0, 0xFE, 0xFF), text.getBytes(UTF_32BE)), 2).wide());
        FileFacts utf8 = scan(concat(bytes(0xEF, 0xBB, 0xBF), text.getBytes(StandardCharsets.UTF_8)));
        assertNull(utf8.wide());
        assertEquals(Encoding.UTF_8_BOM, Encoding.detect(utf8));
    }

    @Test
    void withoutAByteOrderMarkUtf16AndUtf32AreToldByWhereTheirNulBytesFall() {
        String ascii = "id,name,price\n1,Lamp,1.50\n2,Desk,20\n";
        assertEquals(Encoding.UTF_16LE, scan(ascii.getBytes(StandardCharsets.UTF_16LE)).wide());
        assertEquals(Encoding.UTF_16BE, scan(ascii.getBytes(StandardCharsets.UTF_16BE)).wide());
        assertEquals(Encoding.UTF_32LE, scan(ascii.getBytes(UTF_32LE)).wide());
        assertEquals(Encoding.UTF_32BE, scan(ascii.getBytes(UTF_32BE)).wide());
        assertEquals(Encoding.UTF_16BE, scan("a\n".getBytes(StandardCharsets.UTF_16BE)).wide(), "even a tiny file");
        // Text in another script has NUL bytes only in its line ends, delimiters and digits, and some (U+4E00 一) on the other side.
        String chinese = ("一二三四五六七八九十东京大阪名古屋一二三四五六七八九十东京大阪名古屋一二三四五六七八九十" + "\t" + "一二三\n").repeat(50);
        assertEquals(Encoding.UTF_16LE, scan(chinese.getBytes(StandardCharsets.UTF_16LE)).wide());
        assertEquals(Encoding.UTF_16BE, scan(chinese.getBytes(StandardCharsets.UTF_16BE)).wide());
        assertEquals(-1, scan(chinese.getBytes(StandardCharsets.UTF_16BE)).wideInvalidByte());
        // A stray NUL in UTF-8 or Latin-1 text is not a pattern.
        assertNull(scan("a,b\n1,x\u0000y\n2,z\n".getBytes(StandardCharsets.UTF_8)).wide());
        assertNull(scan(("name,city\nZoë,Besançon\u0000\n" + "café,Köln\n".repeat(100)).getBytes(StandardCharsets.ISO_8859_1)).wide());
    }

    @Test
    void aUtf16FileThatIsNotValidToTheEndSaysWhereAndACutEndIsNoError() {
        byte[] good = concat(bytes(0xFF, 0xFE), "a,b\n1,2\n".getBytes(StandardCharsets.UTF_16LE));
        byte[] loneSurrogate = concat(good, units(Encoding.UTF_16LE, 0xDC00), "x\n".getBytes(StandardCharsets.UTF_16LE));
        assertEquals(good.length, scan(loneSurrogate, 5).wideInvalidByte());
        byte[] odd = concat(good, bytes(0x41));
        assertEquals(good.length, scan(odd).wideInvalidByte());
        FileFacts.Scanner s = new FileFacts.Scanner();
        s.update(odd, 0, odd.length);
        assertEquals(-1, s.facts(true).wideInvalidByte(), "the stored start of a larger file may end inside a character");
        // The start decides; every byte after it is checked too.
        byte[] longer = concat(bytes(0xFF, 0xFE), "x,y\n".repeat(FileFacts.HEAD_BYTES).getBytes(StandardCharsets.UTF_16LE), units(Encoding.UTF_16LE, 0xD800));
        assertEquals(longer.length - 2, scan(longer, 70_000, 200_000).wideInvalidByte());
    }

    @Test
    void lettersOfAnotherScriptInItsOwnEncodingComeInRunsOfHighBytesLatinLettersDoNot() {
        String russian = "имя,город\nИван,Москва\nОльга,Санкт-Петербург\n";
        assertTrue(scan(russian.getBytes(Charset.forName("windows-1251"))).highByteRuns());
        assertTrue(scan("名前,都市\n田中,東京\n佐藤,大阪\n".getBytes(Charset.forName("Shift_JIS"))).highByteRuns());
        assertFalse(scan("name,city\nZoë,Besançon\ncafé,Köln\nGröße,Ærø\ninformação,São João\n".repeat(20).getBytes(StandardCharsets.ISO_8859_1))
                .highByteRuns());
        assertFalse(scan("\u201cLamp\u201d,\u20ac5 – «très» ÉTÉ\n".repeat(20).getBytes(Charset.forName("windows-1252"))).highByteRuns());
        assertFalse(scan("ÀÉÎ,1\n".getBytes(StandardCharsets.ISO_8859_1)).highByteRuns(), "a few runs are not most of a file");
    }

    @Test
    void aFileOfControlCharactersIsNotTextButAStrayNulIsNoMatter() {
        byte[] random = new byte[100_000];
        new Random(3).nextBytes(random);
        FileFacts binary = scan(random, 10);
        assertTrue(binary.looksBinary(), binary.toString());
        assertEquals(FileFacts.HEAD_BYTES, binary.headBytes());
        assertFalse(scan("a,b\n1,x\u0000y\n2,z\n".getBytes(StandardCharsets.UTF_8)).looksBinary());
        assertFalse(scan("a\tb\f\u001b[1m\r\n1\t2\u001a".getBytes(StandardCharsets.UTF_8)).looksBinary(), "tabs, form feeds, escapes, end marks");
        assertFalse(scan("a\u0001b\u0001c\u001e1\u00012\u00013\u001e".repeat(100).getBytes(StandardCharsets.UTF_8)).looksBinary(),
                "fields and records delimited by 0x01 and 0x1E");
        assertFalse(scan("a,b\n".getBytes(StandardCharsets.UTF_16LE)).looksBinary(), "UTF-16's NUL bytes are text");
    }
}
