package com.imagina.credits.proof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.imagina.credits.support.Api;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Ways to break a request body, applied to a valid one: the JSON cut short, a field of the wrong
 * type, absurd or boundary numbers, floats for integers, nulls, 100k-character and exotic unicode
 * strings, deep nesting, arrays for objects, unknown enum values, missing fields, top-level
 * scalars, non-JSON, NULs in strings, duplicate keys, bodies past the size limits. Each returns the
 * body as text with a short name of what was done.
 */
final class BadInputs {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    record Body(String text, String how) {}

    private BadInputs() {}

    /** Raw number literals, valid JSON or not, that must never reach arithmetic unchecked. */
    static final List<String> NUMBERS = List.of("1e30", "-1e30", "9223372036854775808", "-9223372036854775809",
            "9223372036854775807", "-9223372036854775808", "2147483648", "-1", "0", "-0", "1.5", "1.0", "0.0001",
            "1e3", "1E-7", "10000001", "10000000", "1000000000001", "1e400", "-1e400", "123456789012345678901234567890",
            "007", "+1", "NaN", "Infinity", "-Infinity", "0x10", ".5", "5.", "1_000");

    static final List<String> STRINGS = List.of("", " ", "\\u0000", "null", "true", "-1", "1e30", "me", "../../etc",
            "%2F%2e%2e", "<script>alert(1)</script>", "' or 1=1 --", "\\ud800", "\\udfff\\ud800", "😀🚀🧪",
            "\\u202etxt.exe", "ﾟ･✿ヾ╲(｡◕‿◕｡)╱✿･ﾟ", "a\\nb\\tc\\r", "Ω≈ç√∫˜µ≤≥÷", "\\\"", "{}", "[]",
            "2026-02-30", "2026-11-24T25:00:00Z", "9999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z");

    static String longString(Random r) {
        return "\"" + String.valueOf((char) ('a' + r.nextInt(26))).repeat(100_000) + "\"";
    }

    static String deep(int depth, boolean arrays) {
        return (arrays ? "[" : "{\"a\":").repeat(depth) + "1" + (arrays ? "]" : "}").repeat(depth);
    }

    /** One mutation of {@code valid} (an object), picked at random. */
    static Body mutate(ObjectNode valid, Random r) {
        List<String> paths = leafPaths(valid, "");
        String path = paths.isEmpty() ? null : paths.get(r.nextInt(paths.size()));
        String text = valid.toString();
        switch (r.nextInt(19)) {
            case 0: {
                int cut = r.nextInt(Math.max(1, text.length() - 1));
                return new Body(text.substring(0, cut), "truncated at " + cut);
            }
            case 1: return replace(valid, path, NUMBERS.get(r.nextInt(NUMBERS.size())), "number");
            case 2: return replace(valid, path, "\"" + STRINGS.get(r.nextInt(STRINGS.size())) + "\"", "string");
            case 3: return replace(valid, path, longString(r), "100k string");
            case 4: return replace(valid, path, "null", "null");
            case 5: return replace(valid, path, List.of("true", "false", "[]", "{}", "[1,2]", "{\"x\":1}")
                    .get(r.nextInt(6)), "wrong type");
            case 6: return replace(valid, path, deep(50 + r.nextInt(3_000), r.nextBoolean()), "deep");
            case 7: {
                ObjectNode copy = valid.deepCopy();
                if (path != null) remove(copy, path);
                return new Body(copy.toString(), "missing " + path);
            }
            case 8: {
                ArrayNode arr = F.arrayNode().add(valid.deepCopy());
                return new Body(r.nextBoolean() ? arr.toString() : "[]", "array for object");
            }
            case 9: return new Body(List.of("", "null", "42", "\"text\"", "true", "{", "}", "[", "{}", "{\"\":null}",
                    "{\"a\":1,}", "{'a':1}", "{a:1}", "// comment\n{}", "\u0000", "{}{}").get(r.nextInt(16)), "top level");
            case 10: return replace(valid, path, "\"" + List.of("fly", "PLAY", "Play", "play ", "world-text", "*", "")
                    .get(r.nextInt(7)) + "\"", "unknown enum");
            case 11: {
                ObjectNode copy = valid.deepCopy();
                copy.put("unexpected" + r.nextInt(3), r.nextBoolean() ? "x" : "1e30");
                return new Body(copy.toString(), "extra field");
            }
            case 12: return new Body(text.replaceFirst(":", ": :"), "syntax");
            case 13: {
                StringBuilder garbage = new StringBuilder();
                for (int i = 0, n = r.nextInt(2_000); i < n; i++) garbage.append((char) r.nextInt(0xD7FF));
                return new Body(garbage.toString(), "garbage");
            }
            case 14: return new Body(text.replace("\"", "'"), "single quotes");
            case 15: return replace(valid, path, "\"" + List.of("\\u0000", "a\\u0000b", "x\\u0000", "\\u0000\\u0000")
                    .get(r.nextInt(4)) + "\"", "NUL");
            case 16: {
                // The same key twice (the second would win in a lenient parser): in a money body, never.
                if (path == null || path.contains(".")) return new Body("{\"a\":1,\"a\":2}", "duplicate key (whole body)");
                String again = "\"" + path + "\":" + NUMBERS.get(r.nextInt(NUMBERS.size())) + ",";
                return new Body("{" + again + text.substring(1), "duplicate key " + path);
            }
            case 17: {
                // Larger than any API body may be (64 KiB; the webhook's 256 KiB): 413 before it is parsed.
                ObjectNode copy = valid.deepCopy();
                copy.put("padding", "p".repeat(r.nextBoolean() ? 70_000 : 300_000));
                return new Body(copy.toString(), "oversized");
            }
            default: return replace(valid, path, List.of("0", "10000000", "10000001", "1000000000000",
                    "1000000000001", "-1000000000000", "-1000000000001", "86400", "86401", "200", "201")
                    .get(r.nextInt(11)), "boundary");
        }
    }

    private static Body replace(ObjectNode valid, String path, String literal, String how) {
        if (path == null) return new Body(literal, how + " (whole body)");
        String marker = "\"__FUZZ_MARKER__\"";
        ObjectNode copy = valid.deepCopy();
        set(copy, path, F.textNode("__FUZZ_MARKER__"));
        return new Body(copy.toString().replace(marker, literal), how + " at " + path);
    }

    /** Dotted paths of every value that is not an object (arrays and scalars). */
    private static List<String> leafPaths(JsonNode node, String prefix) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            JsonNode child = node.get(name);
            String p = prefix.isEmpty() ? name : prefix + "." + name;
            out.add(p);
            if (child.isObject()) out.addAll(leafPaths(child, p));
        }
        return out;
    }

    private static void set(ObjectNode root, String path, JsonNode value) {
        String[] parts = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) node = (ObjectNode) node.get(parts[i]);
        node.set(parts[parts.length - 1], value);
    }

    private static void remove(ObjectNode root, String path) {
        String[] parts = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) node = (ObjectNode) node.get(parts[i]);
        node.remove(parts[parts.length - 1]);
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) Api.JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
