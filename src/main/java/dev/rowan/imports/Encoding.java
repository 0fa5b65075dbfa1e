package dev.rowan.imports;

import dev.rowan.Problem;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The text encodings Rowan reads files in. A byte order mark is never data: it is dropped whichever
 * id of its encoding was chosen. Windows-1252 is what spreadsheet programs write when they say
 * "Latin-1" and the file holds curly quotes or a euro sign (bytes 0x80 to 0x9F, which are
 * invisible control characters in true ISO 8859-1). UTF-16 is what they write as "Unicode text".
 */
enum Encoding {
    UTF_8("utf-8", "UTF-8", StandardCharsets.UTF_8, 0xEF, 0xBB, 0xBF),
    UTF_8_BOM("utf-8-bom", "UTF-8", StandardCharsets.UTF_8, 0xEF, 0xBB, 0xBF),
    UTF_16LE("utf-16le", "UTF-16LE", StandardCharsets.UTF_16LE, 0xFF, 0xFE),
    UTF_16BE("utf-16be", "UTF-16BE", StandardCharsets.UTF_16BE, 0xFE, 0xFF),
    UTF_32LE("utf-32le", "UTF-32LE", Charset.forName("UTF-32LE"), 0xFF, 0xFE, 0, 0),
    UTF_32BE("utf-32be", "UTF-32BE", Charset.forName("UTF-32BE"), 0, 0, 0xFE, 0xFF),
    LATIN_1("latin-1", "Latin-1 (ISO 8859-1)", StandardCharsets.ISO_8859_1),
    WINDOWS_1252("windows-1252", "Windows-1252", Charset.forName("windows-1252"));

    final String id;
    /** The name people know it by, for messages. */
    final String label;
    private final Charset charset;
    private final byte[] bom;

    Encoding(String id, String label, Charset charset, int... bom) {
        this.id = id;
        this.label = label;
        this.charset = charset;
        this.bom = new byte[bom.length];
        for (int i = 0; i < bom.length; i++) this.bom[i] = (byte) bom[i];
    }

    boolean isUtf8() {
        return charset.equals(StandardCharsets.UTF_8);
    }

    /** UTF-16 or UTF-32: characters of 2 or 4 bytes, so ASCII text holds NUL bytes. */
    boolean isWide() {
        return unitBytes() > 1;
    }

    /** Bytes per code unit: 1 (UTF-8 and the single-byte encodings), 2 or 4. */
    int unitBytes() {
        return this == UTF_16LE || this == UTF_16BE ? 2 : this == UTF_32LE || this == UTF_32BE ? 4 : 1;
    }

    boolean littleEndian() {
        return this == UTF_16LE || this == UTF_32LE;
    }

    /** Whether some byte sequences are not text in this encoding (the Unicode ones), rather than every byte being a character. */
    boolean isStrict() {
        return isUtf8() || isWide();
    }

    /** The byte order mark files in this encoding may start with (none for the single-byte encodings). */
    byte[] bom() {
        return bom.clone();
    }

    /** Whether {@code start} (the first bytes of a file) begins with this encoding's byte order mark. */
    boolean startsWithBom(byte[] start, int length) {
        return bom.length > 0 && length >= bom.length && Arrays.equals(start, 0, bom.length, bom, 0, bom.length);
    }

    /** A decoder that refuses bytes that are not text in a Unicode encoding (so a wrong choice is an error, not garbage). */
    CharsetDecoder decoder() {
        CodingErrorAction onBad = isStrict() ? CodingErrorAction.REPORT : CodingErrorAction.REPLACE;
        return charset.newDecoder().onMalformedInput(onBad).onUnmappableCharacter(onBad);
    }

    /** The encoding a file is in, judged from all of its bytes: a UTF-16 or UTF-32 byte order mark or NUL pattern first. */
    static Encoding detect(FileFacts facts) {
        if (facts.wide() != null) return facts.wide();
        if (facts.validUtf8()) return facts.bom() ? UTF_8_BOM : UTF_8;
        return facts.c1Bytes() ? WINDOWS_1252 : LATIN_1;
    }

    static Encoding byId(String id) {
        String wanted = id.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        String bare = wanted.replace("-", "");
        for (Encoding e : values()) {
            if (e.id.equals(wanted) || e.id.replace("-", "").equals(bare)) return e;
        }
        if (wanted.equals("iso-8859-1")) return LATIN_1;
        if (wanted.equals("cp1252")) return WINDOWS_1252;
        if (bare.equals("utf16") || bare.equals("utf32") || bare.equals("unicode")) {
            String n = bare.equals("utf32") ? "32" : "16";
            throw new Problem(422, "invalid_settings", "Which byte order?", "\"" + id + "\" does not say the byte order of its characters.",
                    "Choose utf-" + n + "le (the usual one, little-endian) or utf-" + n + "be, or leave the encoding to be detected:"
                            + " a byte order mark or the file's NUL bytes tell it.");
        }
        throw new Problem(422, "invalid_settings", "Unknown encoding", "\"" + id + "\" is not an encoding Rowan reads.",
                "Use one of: " + Arrays.stream(values()).map(e -> e.id).collect(Collectors.joining(", ")) + ".");
    }
}
