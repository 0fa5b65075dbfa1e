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
 * The text encodings Rowan reads files in. A UTF-8 byte order mark is never data: it is dropped
 * whichever UTF-8 id was chosen. Windows-1252 is what spreadsheet programs write when they say
 * "Latin-1" and the file holds curly quotes or a euro sign (bytes 0x80 to 0x9F, which are
 * invisible control characters in true ISO 8859-1).
 */
enum Encoding {
    UTF_8("utf-8", StandardCharsets.UTF_8),
    UTF_8_BOM("utf-8-bom", StandardCharsets.UTF_8),
    LATIN_1("latin-1", StandardCharsets.ISO_8859_1),
    WINDOWS_1252("windows-1252", Charset.forName("windows-1252"));

    final String id;
    private final Charset charset;

    Encoding(String id, Charset charset) {
        this.id = id;
        this.charset = charset;
    }

    boolean isUtf8() {
        return charset.equals(StandardCharsets.UTF_8);
    }

    /** A decoder that refuses bytes that are not UTF-8 (so a wrong choice is an error, not garbage). */
    CharsetDecoder decoder() {
        CodingErrorAction onBad = isUtf8() ? CodingErrorAction.REPORT : CodingErrorAction.REPLACE;
        return charset.newDecoder().onMalformedInput(onBad).onUnmappableCharacter(onBad);
    }

    /** The encoding a file is in, judged from all of its bytes. */
    static Encoding detect(FileFacts facts) {
        if (facts.validUtf8()) return facts.bom() ? UTF_8_BOM : UTF_8;
        return facts.c1Bytes() ? WINDOWS_1252 : LATIN_1;
    }

    static Encoding byId(String id) {
        String wanted = id.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Encoding e : values()) {
            if (e.id.equals(wanted)) return e;
        }
        if (wanted.equals("utf8")) return UTF_8;
        if (wanted.equals("iso-8859-1") || wanted.equals("latin1")) return LATIN_1;
        if (wanted.equals("cp1252")) return WINDOWS_1252;
        throw new Problem(422, "invalid_settings", "Unknown encoding", "\"" + id + "\" is not an encoding Rowan reads.",
                "Use one of: " + Arrays.stream(values()).map(e -> e.id).collect(Collectors.joining(", ")) + ".");
    }
}
