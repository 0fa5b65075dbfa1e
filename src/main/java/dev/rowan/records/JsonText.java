package dev.rowan.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

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
