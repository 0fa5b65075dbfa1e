package dev.rowan.records;

import dev.rowan.catalog.Column;
import java.util.List;

/**
 * Which rows a request is about, as a tree: what a person built in the filter builder
 * ({@link And}, {@link Or}, {@link Not}, {@link Leaf}), quick search ({@link Search}) and, inside
 * Rowan, a record's key ({@link KeyEquals}). Every column in it was found in the catalog; values are
 * kept as text and only ever reach SQL as bound parameters.
 */
sealed interface Filter {
    record And(List<Filter> parts) implements Filter {
    }

    record Or(List<Filter> parts) implements Filter {
    }

    record Not(Filter inner) implements Filter {
    }

    /** {@code value} is null for operators that take none (is_null, is_true, …). */
    record Leaf(Column column, Operator op, String value) implements Filter {
    }

    /** Case-insensitive "contains" over the given columns, any of which may match. */
    record Search(List<Column> columns, String term) implements Filter {
    }

    /** The column equals the value given in PostgreSQL's own text form (a key Rowan handed out). */
    record KeyEquals(Column column, String text) implements Filter {
    }

    static Filter all(List<Filter> parts) {
        List<Filter> kept = parts.stream().filter(p -> p != null).toList();
        return kept.size() == 1 ? kept.get(0) : new And(kept);
    }
}
