package dev.rowan.records;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.rowan.catalog.ColumnKind;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The filter operators, and which apply to which kind of column. This table is the single source for
 * the filter builder (served per column by the filter-operators endpoint) and for validating filters.
 */
enum Operator {
    EQ(Operand.VALUE), NE(Operand.VALUE), LT(Operand.VALUE), LE(Operand.VALUE), GT(Operand.VALUE), GE(Operand.VALUE),
    IS_NULL(Operand.NONE), IS_NOT_NULL(Operand.NONE),
    CONTAINS(Operand.TEXT), NOT_CONTAINS(Operand.TEXT), STARTS_WITH(Operand.TEXT), ENDS_WITH(Operand.TEXT),
    EQ_CI(Operand.TEXT), CONTAINS_CI(Operand.TEXT), STARTS_WITH_CI(Operand.TEXT), ENDS_WITH_CI(Operand.TEXT),
    EMAIL_DOMAIN(Operand.TEXT), URI_HOST(Operand.TEXT), URI_SCHEME(Operand.TEXT),
    HAS(Operand.VALUE), IS_TRUE(Operand.NONE), IS_FALSE(Operand.NONE), HAS_KEY(Operand.TEXT);

    /** What the operator compares with: nothing, a value of the column's type, or text matched against the value's text form. */
    enum Operand { NONE, VALUE, TEXT }

    private static final Set<Operator> ORDERED = EnumSet.of(EQ, NE, LT, LE, GT, GE);
    private static final Set<Operator> NULLS = EnumSet.of(IS_NULL, IS_NOT_NULL);
    private static final Set<Operator> TEXTUAL = EnumSet.of(CONTAINS, NOT_CONTAINS, STARTS_WITH, ENDS_WITH,
            EQ_CI, CONTAINS_CI, STARTS_WITH_CI, ENDS_WITH_CI);
    private static final Map<ColumnKind, Set<Operator>> BY_KIND = new EnumMap<>(ColumnKind.class);

    static {
        for (ColumnKind k : List.of(ColumnKind.INTEGER, ColumnKind.NUMBER, ColumnKind.MONEY, ColumnKind.DATE, ColumnKind.TIME,
                ColumnKind.TIMESTAMP, ColumnKind.TIMESTAMPTZ, ColumnKind.INTERVAL)) {
            BY_KIND.put(k, union(ORDERED, NULLS));
        }
        BY_KIND.put(ColumnKind.TEXT, union(ORDERED, NULLS, TEXTUAL));
        BY_KIND.put(ColumnKind.ENUM, union(ORDERED, NULLS, TEXTUAL));
        BY_KIND.put(ColumnKind.UUID, union(ORDERED, NULLS, TEXTUAL));
        BY_KIND.put(ColumnKind.EMAIL, union(ORDERED, NULLS, TEXTUAL, EnumSet.of(EMAIL_DOMAIN)));
        BY_KIND.put(ColumnKind.URI, union(ORDERED, NULLS, TEXTUAL, EnumSet.of(URI_HOST, URI_SCHEME)));
        BY_KIND.put(ColumnKind.BOOLEAN, union(EnumSet.of(EQ, NE, IS_TRUE, IS_FALSE), NULLS));
        BY_KIND.put(ColumnKind.JSON, union(EnumSet.of(HAS_KEY, CONTAINS, NOT_CONTAINS, CONTAINS_CI), NULLS));
        BY_KIND.put(ColumnKind.ARRAY, union(EnumSet.of(HAS, CONTAINS, NOT_CONTAINS, CONTAINS_CI), NULLS));
        // Types Rowan knows nothing about compare by their text form: equality and text matching only.
        BY_KIND.put(ColumnKind.OTHER, union(EnumSet.of(EQ, NE), NULLS, TEXTUAL));
    }

    private final Operand operand;

    Operator(Operand operand) {
        this.operand = operand;
    }

    @JsonValue
    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    Operand operand() {
        return operand;
    }

    static Optional<Operator> byId(String id) {
        for (Operator o : values()) {
            if (o.id().equals(id)) return Optional.of(o);
        }
        return Optional.empty();
    }

    /** The operators a column of this kind offers, in declaration order. */
    static Set<Operator> forKind(ColumnKind kind) {
        return BY_KIND.get(kind);
    }

    @SafeVarargs
    private static Set<Operator> union(Set<Operator>... sets) {
        EnumSet<Operator> all = EnumSet.noneOf(Operator.class);
        for (Set<Operator> s : sets) all.addAll(s);
        return all;
    }
}
