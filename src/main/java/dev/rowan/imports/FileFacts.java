package dev.rowan.imports;

/**
 * What Rowan learns about a file's bytes while it is being stored, at no extra cost: its size,
 * whether it starts with a UTF-8 byte order mark, whether all of it is valid UTF-8 (and where the
 * first byte sequence that is not starts), and whether it has bytes 0x80 to 0x9F (which tell Windows-1252 from
 * Latin-1 in a file that is not UTF-8).
 */
record FileFacts(long size, boolean bom, boolean validUtf8, long firstInvalidByte, boolean c1Bytes) {

    /** Follows a file's bytes as they go by. */
    static final class Scanner {
        private long size;
        private final byte[] start = new byte[3];
        private long firstInvalid = -1;
        private boolean c1;
        /** Continuation bytes still expected, the range the next one must fall in, and where the character began. */
        private int pending;
        private long sequenceStart;
        private int lower = 0x80;
        private int upper = 0xBF;

        void update(byte[] b, int off, int len) {
            for (int i = 0; i < len && size + i < 3; i++) start[(int) size + i] = b[off + i];
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

        /** {@code cut}: the bytes seen are only the start of the file, so a character cut at the end is not an error. */
        FileFacts facts(boolean cut) {
            boolean unfinished = pending > 0 && firstInvalid < 0 && !cut;
            long invalid = unfinished ? sequenceStart : firstInvalid;
            boolean bom = size >= 3 && (start[0] & 0xFF) == 0xEF && (start[1] & 0xFF) == 0xBB && (start[2] & 0xFF) == 0xBF;
            return new FileFacts(size, bom, invalid < 0, invalid, c1);
        }
    }
}
