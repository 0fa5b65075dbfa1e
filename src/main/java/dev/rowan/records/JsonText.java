package dev.rowan.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;

/**
 * JSON as the records API reads it. Numbers keep the digits that were sent ({@code 1.10} stays
 * {@code 1.10}, a 30-digit number stays exact), because they become text that PostgreSQL reads
 * into numeric columns.
 */
final class JsonText {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private JsonText() {
    }

    /** The text of a JSON string, number or boolean, as a value for PostgreSQL; null for anything else. */
    static String scalar(JsonNode node) {
        if (node == null) return null;
        if (node.isTextual()) return node.textValue();
        if (node.isNumber()) return node.isBigDecimal() ? node.decimalValue().toString() : node.bigIntegerValue().toString();
        if (node.isBoolean()) return node.booleanValue() ? "true" : "false";
        return null;
    }

    /**
     * A JSON number without an exponent ({@code 1E+2} as {@code 100}, {@code 1.5e-3} as {@code 0.0015}),
     * exactly the number sent, for readers of numbers as people write them (money, whole numbers), which
     * know no exponent. Beyond what a numeric holds (131072 digits before the point, 16383 after) the
     * digits would only be refused after filling memory, so such a number keeps its exponent and is
     * refused by the column's reader.
     */
    static String plainNumber(BigDecimal number) {
        boolean fits = number.precision() - number.scale() <= 131_072 && number.scale() <= 16_383;
        return fits ? number.toPlainString() : number.toString();
    }

    static JsonNode read(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
