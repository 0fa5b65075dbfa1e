package dev.rowan.imports;

import dev.rowan.catalog.ColumnType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Guesses each column's type from sampled values: the first type, in {@link #ORDER} (narrowest
 * first), that every non-blank value fits; text when none does or the column is empty. Whole
 * numbers are integer rather than boolean (a column of 0 and 1 is more likely a count than a flag),
 * and numbers written with a leading zero ("007", "01234") keep it by staying text: they are codes.
 */
final class TypeInference {
    static final List<ColumnType> ORDER = List.of(ColumnType.INTEGER, ColumnType.BIGINT, ColumnType.NUMERIC, ColumnType.BOOLEAN,
            ColumnType.DATE, ColumnType.TIMESTAMP, ColumnType.TIMESTAMPTZ, ColumnType.EMAIL, ColumnType.URI, ColumnType.MONEY);
    private static final int ALL = (1 << ORDER.size()) - 1;
    private static final int SAMPLES = 5;
    private static final int SAMPLE_CHARS = 100;

    private final int[] possible;
    private final List<Set<String>> samples = new ArrayList<>();

    TypeInference(int columns) {
        possible = new int[columns];
        java.util.Arrays.fill(possible, ALL);
        for (int i = 0; i < columns; i++) samples.add(new LinkedHashSet<>());
    }

    /** One record's values; records with another number of fields are not for inference and are left out by the caller. */
    void add(String[] values) {
        for (int i = 0; i < possible.length && i < values.length; i++) {
            String v = values[i];
            if (v == null || Casts.isBlank(v)) continue;
            Set<String> s = samples.get(i);
            if (s.size() < SAMPLES) s.add(v.length() > SAMPLE_CHARS ? v.substring(0, SAMPLE_CHARS) + "…" : v);
            int bits = possible[i];
            for (int t = 0; bits != 0 && t < ORDER.size(); t++) {
                int bit = 1 << t;
                if ((bits & bit) != 0 && !fits(ORDER.get(t), v)) bits &= ~bit;
            }
            possible[i] = bits;
        }
    }

    ColumnType type(int column) {
        int bits = possible[column];
        if (samples.get(column).isEmpty()) return ColumnType.TEXT;
        for (int t = 0; t < ORDER.size(); t++) {
            if ((bits & (1 << t)) != 0) return ORDER.get(t);
        }
        return ColumnType.TEXT;
    }

    /** Every type all the sampled values fit, narrowest first; text always. */
    List<ColumnType> possibleTypes(int column) {
        List<ColumnType> out = new ArrayList<>();
        if (!samples.get(column).isEmpty()) {
            for (int t = 0; t < ORDER.size(); t++) {
                if ((possible[column] & (1 << t)) != 0) out.add(ORDER.get(t));
            }
        }
        out.add(ColumnType.TEXT);
        return out;
    }

    List<String> samples(int column) {
        return List.copyOf(samples.get(column));
    }

    /**
     * Whether a value counts as one of {@code type} when guessing: stricter than loading for numbers with
     * leading zeros, and for whole numbers, which are guessed only from plain digits ("1,234" and "3.0" are numeric).
     */
    static boolean fits(ColumnType type, String value) {
        boolean whole = type == ColumnType.INTEGER || type == ColumnType.BIGINT;
        boolean numeric = whole || type == ColumnType.NUMERIC || type == ColumnType.MONEY;
        if (numeric && hasLeadingZero(value)) return false;
        if (whole && !Casts.isWholeNumber(Casts.trim(value))) return false;
        return ValueFormat.of(type).read(value) != null;
    }

    private static boolean hasLeadingZero(String value) {
        String v = Casts.trim(value);
        if (v == null) return false;
        int i = v.charAt(0) == '-' || v.charAt(0) == '+' ? 1 : 0;
        return v.length() > i + 1 && v.charAt(i) == '0' && Casts.isDigit(v.charAt(i + 1));
    }
}
