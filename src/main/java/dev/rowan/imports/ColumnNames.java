package dev.rowan.imports;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Column names for a new table from a file's header: what the header says, trimmed, except that a
 * blank name becomes column_N (its position), a repeated one gets _2, _3..., and one longer than
 * PostgreSQL's 63 bytes is cut at a character boundary (PostgreSQL would cut it too, but possibly
 * inside a character, and two long names could end up the same).
 */
final class ColumnNames {
    static final int MAX_BYTES = 63;

    /** A name and why it differs from the header, if it does. */
    record Name(String name, String change) {
    }

    private ColumnNames() {
    }

    static List<Name> of(List<String> header) {
        List<Name> out = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < header.size(); i++) {
            String raw = header.get(i) == null ? "" : header.get(i);
            String name = raw.replace("\0", "").strip();
            String change = null;
            if (name.isEmpty()) {
                name = "column_" + (i + 1);
                change = "Column " + (i + 1) + " has no name in the header; it is called " + name + ".";
            } else if (utf8Length(name) > MAX_BYTES) {
                String cut = shorten(name, MAX_BYTES);
                change = "The name of column " + (i + 1) + " is longer than 63 bytes; it is shortened to \"" + cut + "\".";
                name = cut;
            }
            String unique = unique(name, taken);
            if (!unique.equals(name)) {
                change = "The name \"" + name + "\" appears more than once; column " + (i + 1) + " is called \"" + unique + "\".";
            }
            taken.add(unique);
            out.add(new Name(unique, change));
        }
        return out;
    }

    /** column_1 ... column_n, for a file without a header. */
    static List<Name> numbered(int n) {
        List<Name> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) out.add(new Name("column_" + i, null));
        return out;
    }

    /** {@code name}, or name_2, name_3 ... (each cut to fit 63 bytes), whichever is not taken yet. */
    static String unique(String name, Set<String> taken) {
        if (!taken.contains(name)) return name;
        for (int n = 2; ; n++) {
            String suffix = "_" + n;
            String candidate = shorten(name, MAX_BYTES - suffix.length()) + suffix;
            if (!taken.contains(candidate)) return candidate;
        }
    }

    /** The longest prefix of {@code s} that is at most {@code maxBytes} in UTF-8, never splitting a character. */
    static String shorten(String s, int maxBytes) {
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) break;
            bytes += size;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
