package dev.rowan.imports;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What Rowan learns about a file's bytes while it is being stored, at no extra cost: its size,
 * whether it starts with a UTF-8 byte order mark, whether all of it is valid UTF-8 (and where the
 * first byte sequence that is not starts), and whether it has bytes 0x80 to 0x9F (which tell Windows-1252 from
 * Latin-1 in a file that is not UTF-8).
 *
 * <p>From its first {@link #HEAD_BYTES}: whether it is UTF-16 or UTF-32 ({@code wide}), told by a byte
 * order mark ({@code wideBom}) or else by where its NUL bytes fall (ASCII text in UTF-16LE has a NUL
 * after every character), and then whether all of it is valid in that encoding
 * ({@code wideInvalidByte}, -1 when it is); and how many of those first bytes are control
 * characters that text does not hold ({@code headControls} of {@code headBytes}), and whether
 * over two thirds of their bytes over 0x7F stand next to another one ({@code highByteRuns}): the
 * letters of another script in its own encoding (Windows-1251, Shift-JIS, GBK...) do, while most
 * accented letters of Latin-1 or Windows-1252 text stand between ASCII ones (even Portuguese "ção").
 *
 * <p>{@code startOnly}: the bytes may be only the start of the data (a preview), so a character cut
 * at their end is not an error, and is not read.
 */
record FileFacts(long size, boolean bom, boolean validUtf8, long firstInvalidByte, boolean c1Bytes,
                 Encoding wide, boolean wideBom, long wideInvalidByte, int headBytes, int headControls, boolean highByteRuns,
                 boolean startOnly) {

    /** The start of a file that its NUL pattern and its share of control characters are judged on. */
    static final int HEAD_BYTES = 64 * 1024;
    /** UTF-32 before UTF-16: UTF-32LE's byte order mark begins with UTF-16LE's. */
    private static final Encoding[] BY_BOM = {Encoding.UTF_32LE, Encoding.UTF_32BE, Encoding.UTF_16LE, Encoding.UTF_16BE};

    /**
     * Whether the start of the file is not text: more than 1% of it (and more than a few bytes) are
     * control characters that text does not hold (NUL and most others; see {@code Scanner.notText}).
     * Compressed files and spreadsheets' own formats are; a CSV file, even with a stray NUL or
     * fields delimited by 0x01 as some systems write them, is not.
     */
    boolean looksBinary() {
        return wide == null && headControls > Math.max(8, headBytes / 100);
    }

    /** The length of the byte order mark the file starts with (0 without one). */
    int bomLength() {
        return bom ? 3 : wideBom ? wide.bom().length : 0;
    }

    /**
     * Where the first byte sequence that is not a character of {@code encoding} (UTF-16 or UTF-32)
     * starts in a stored file, or -1; {@code cut} as in {@link Scanner#facts}. For a wide encoding a
     * person chose that is not the one the file's start showed, so that the upload did not check it.
     */
    static long firstInvalid(Path file, Encoding encoding, boolean cut) throws IOException {
        UnitCheck check = new UnitCheck(encoding);
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) >= 0 && check.firstInvalid(true) < 0) check.update(buf, 0, n);
        }
        return check.firstInvalid(cut);
    }

    /** Follows a file's bytes as they go by. */
    static final class Scanner {
        private long size;
        /** The first bytes, up to {@link #HEAD_BYTES}; grown as they come, as most uploads are small. */
        private byte[] head = new byte[256];
        private int headLength;
        private boolean decided;
        private Encoding wide;
        private boolean wideBom;
        private UnitCheck units;
        private int controls;
        private boolean highByteRuns;
        private long firstInvalid = -1;
        private boolean c1;
        /** Continuation bytes still expected, the range the next one must fall in, and where the character began. */
        private int pending;
        private long sequenceStart;
        private int lower = 0x80;
        private int upper = 0xBF;

        void update(byte[] b, int off, int len) {
            int toHead = decided ? 0 : Math.min(len, HEAD_BYTES - headLength);
            if (headLength + toHead > head.length) head = Arrays.copyOf(head, Math.min(HEAD_BYTES, Math.max(head.length * 2, headLength + toHead)));
            System.arraycopy(b, off, head, headLength, toHead);
            headLength += toHead;
            if (!decided && headLength == HEAD_BYTES) decide();
            if (units != null) units.update(b, off + toHead, len - toHead);
            for (int i = off, end = off + len; i < end; i++) {
                int x = b[i];
                if (x >= 0 && pending == 0) continue; // ASCII between characters: nothing to learn
                x &= 0xFF;
                if (x >= 0x80 && x <= 0x9F) c1 = true;
                if (firstInvalid >= 0) continue; // only c1 is left to learn
                long position = size + i - off;
                if (x < 0x80) {
                    firstInvalid = sequenceStart; // an ASCII byte where a character's next byte should be
                    pending = 0;
                } else {
                    utf8(x, position);
                }
            }
            size += len;
        }

        private void utf8(int x, long position) {
            if (pending > 0) {
                if (x < lower || x > upper) {
                    firstInvalid = sequenceStart;
                    pending = 0;
                    return;
                }
                pending--;
                lower = 0x80;
                upper = 0xBF;
                return;
            }
            sequenceStart = position;
            if (x >= 0xC2 && x <= 0xDF) {
                pending = 1;
            } else if (x >= 0xE0 && x <= 0xEF) {
                pending = 2;
                if (x == 0xE0) lower = 0xA0;
                if (x == 0xED) upper = 0x9F;
            } else if (x >= 0xF0 && x <= 0xF4) {
                pending = 3;
                if (x == 0xF0) lower = 0x90;
                if (x == 0xF4) upper = 0x8F;
            } else {
                firstInvalid = position;
            }
        }

        /** Judges the head once it is full (or the file ended first), and from then on checks the whole file in the encoding found. */
        private void decide() {
            decided = true;
            for (Encoding e : BY_BOM) {
                if (e.startsWithBom(head, headLength)) {
                    wide = e;
                    wideBom = true;
                    break;
                }
            }
            long[] zeros = new long[4];
            long[] lineEnds = new long[2];
            int high = 0;
            int inRuns = 0;
            int run = 0;
            for (int i = 0; i < headLength; i++) {
                int x = head[i] & 0xFF;
                run = x >= 0x80 ? run + 1 : 0;
                if (run > 0) high++;
                if (run >= 2) inRuns += run == 2 ? 2 : 1;
                if (x == 0) zeros[i & 3]++;
                if ((i & 1) == 1 && (x == 0 || head[i - 1] == 0)) {
                    int low = x == 0 ? head[i - 1] : x;
                    if (low == '\n' || low == '\r') lineEnds[x == 0 ? 0 : 1]++;
                }
                if (notText(x)) controls++;
            }
            highByteRuns = inRuns >= 16 && inRuns * 3 > high * 2;
            if (wide == null) wide = byNulBytes(zeros, lineEnds, headLength);
            if (wide != null) {
                units = new UnitCheck(wide);
                units.update(head, 0, headLength);
            }
        }

        /**
         * A control character that text does not hold: NUL, 0x04 to 0x08, 0x0E to 0x19 and DEL. Not
         * tab, the line ends, vertical tab, form feed, the old end-of-file mark, escape, nor the
         * separators some systems delimit fields and records with (0x01 to 0x03, 0x1C to 0x1F).
         */
        private static boolean notText(int x) {
            return x == 0 || x >= 0x04 && x <= 0x08 || x >= 0x0E && x <= 0x19 || x == 0x7F;
        }

        /**
         * UTF-32 when, of each 4 bytes, the two high ones are (nearly) always NUL and the lowest
         * (nearly) never is. UTF-16 when its line ends are where UTF-16LE (or BE) has them, a \n or
         * \r with a NUL after (before) it in a byte pair, at least one per thousand pairs and (nearly)
         * never the other way round: text in any script ends its lines in ASCII, while in other bytes
         * such a pair is rare. For a file of few lines: when NUL bytes fall on one side of the byte
         * pairs, in at least one pair in 64 (text has its delimiters and digits in ASCII too), and the
         * other side has at most a quarter as many. A stray NUL in UTF-8 or Latin-1 text is neither.
         */
        private static Encoding byNulBytes(long[] zeros, long[] lineEnds, int n) {
            if (n < 4) return null;
            long[] count = new long[4];
            for (int k = 0; k < 4; k++) count[k] = (n - k + 3) / 4;
            if (nearlyAll(zeros[3], count[3]) && nearlyAll(zeros[2], count[2]) && zeros[0] * 16 <= count[0]) return Encoding.UTF_32LE;
            if (nearlyAll(zeros[0], count[0]) && nearlyAll(zeros[1], count[1]) && zeros[3] * 16 <= count[3]) return Encoding.UTF_32BE;
            long odd = zeros[1] + zeros[3];
            long even = zeros[0] + zeros[2];
            long pairs = n / 2;
            long manyLines = Math.max(2, pairs / 1000);
            if (lineEnds[0] >= manyLines && lineEnds[1] * 16 <= lineEnds[0]) return Encoding.UTF_16LE;
            if (lineEnds[1] >= manyLines && lineEnds[0] * 16 <= lineEnds[1]) return Encoding.UTF_16BE;
            if (odd >= 2 && odd * 64 >= pairs && even * 4 <= odd) return Encoding.UTF_16LE;
            if (even >= 2 && even * 64 >= pairs && odd * 4 <= even) return Encoding.UTF_16BE;
            return null;
        }

        private static boolean nearlyAll(long part, long whole) {
            return whole > 0 && part * 16 >= whole * 15;
        }

        /** {@code cut}: the bytes seen are only the start of the file, so a character cut at the end is not an error. */
        FileFacts facts(boolean cut) {
            if (!decided) decide();
            boolean unfinished = pending > 0 && firstInvalid < 0 && !cut;
            long invalid = unfinished ? sequenceStart : firstInvalid;
            boolean bom = Encoding.UTF_8.startsWithBom(head, headLength);
            return new FileFacts(size, bom, invalid < 0, invalid, c1, wide, wideBom, units == null ? -1 : units.firstInvalid(cut),
                    headLength, controls, highByteRuns, cut);
        }
    }

    /**
     * Checks bytes as UTF-16 or UTF-32 code units, as Java's decoder reads them (it must never refuse
     * what this passed): in UTF-16 a surrogate must be a high one followed by a low one, and U+FFFE
     * (a byte order mark of the other byte order) is refused; in UTF-32 a unit must be a code point
     * that is not a surrogate.
     */
    static final class UnitCheck {
        private final int size;
        private final boolean little;
        private long position;
        private int unit;
        private int have;
        private long highAt = -1;
        private long invalidAt = -1;

        UnitCheck(Encoding encoding) {
            this.size = encoding.unitBytes();
            this.little = encoding.littleEndian();
        }

        void update(byte[] b, int off, int len) {
            for (int i = off, end = off + len; i < end && invalidAt < 0; i++) {
                int x = b[i] & 0xFF;
                unit = little ? unit | x << (8 * have) : unit << 8 | x;
                if (++have == size) {
                    check(position + i - off + 1 - size);
                    unit = 0;
                    have = 0;
                }
            }
            position += len;
        }

        private void check(long start) {
            if (size == 4) {
                if (Integer.compareUnsigned(unit, Character.MAX_CODE_POINT) > 0 || Character.isSurrogate((char) unit) && unit <= 0xFFFF) {
                    invalidAt = start;
                }
                return;
            }
            char c = (char) unit;
            if (highAt >= 0) {
                if (Character.isLowSurrogate(c)) {
                    highAt = -1;
                } else {
                    invalidAt = highAt;
                }
            } else if (c == 0xFFFE || Character.isLowSurrogate(c)) {
                invalidAt = start;
            } else if (Character.isHighSurrogate(c)) {
                highAt = start;
            }
        }

        /** Where the first unit that is not a character starts, or -1; unless {@code cut}, a unit or pair left unfinished by the end is one. */
        long firstInvalid(boolean cut) {
            if (invalidAt >= 0 || cut) return invalidAt;
            if (highAt >= 0) return highAt;
            return have > 0 ? position - have : -1;
        }
    }
}
