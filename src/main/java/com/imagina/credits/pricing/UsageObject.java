package com.imagina.credits.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigInteger;

/**
 * One JSON object of a settle body, read strictly and named by its path so every error can say
 * which field was wrong. Absent and {@code null} counts are 0; fields this class is not asked about
 * are ignored, because providers keep adding fields to their usage objects.
 */
final class UsageObject {
    /** Above this a count is absurd rather than large (the contract's 10,000,000 tokens). */
    static final long MAX_COUNT = 10_000_000L;

    private static final BigInteger MAX = BigInteger.valueOf(MAX_COUNT);

    private final JsonNode node;
    private final String path;

    private UsageObject(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** {@code path} is how the object is named in messages; "" for the body itself. */
    static UsageObject of(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new InvalidUsageException((path.isEmpty() ? "the settle body" : path) + " must be a JSON object");
        }
        return new UsageObject(node, path);
    }

    /** A nested object; absent or null reads as an empty object, so all its counts are 0. */
    UsageObject child(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return new UsageObject(JsonNodeFactory.instance.objectNode(), path(field));
        }
        return of(value, path(field));
    }

    boolean has(String field) {
        return node.hasNonNull(field);
    }

    String path(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    /** A whole number in [0, MAX_COUNT]; 1.5, 12.0, "12" and true are refused, not coerced. */
    long count(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber()) {
            throw new InvalidUsageException(path(field) + " must be a whole number, not " + value);
        }
        BigInteger count = value.bigIntegerValue();
        if (count.signum() < 0) {
            throw new InvalidUsageException(path(field) + " (" + count + ") must not be negative");
        }
        if (count.compareTo(MAX) > 0) {
            throw new InvalidUsageException(path(field) + " (" + count + ") exceeds the maximum of " + MAX_COUNT);
        }
        return count.longValueExact();
    }
}
