package com.imagina.credits.system.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * What no request of ours may carry, whatever the endpoint (contract v1.1, "Limits and failure answers"):
 * <ul>
 *   <li>a NUL (U+0000) in any string or key of a JSON body, or in the query (PostgreSQL text cannot hold
 *       it: such a value would fail deep inside a money path, or be stored and never be settled);</li>
 *   <li>a key twice in one JSON object (which one wins is up to the parser: never in a money body);</li>
 *   <li>an id — a path segment of the API, or a top-level {@link #ID_FIELDS id field} of a body — that
 *       is empty, longer than {@value #MAX_ID_LENGTH} characters or holds a control character.</li>
 * </ul>
 * A body that is not JSON at all is left to the endpoint, which answers its own 400 or 415.
 */
final class InputChecks {
    static final int MAX_ID_LENGTH = 200;
    static final Set<String> ID_FIELDS = Set.of("accountId", "turnId", "journeyId", "worldId", "modelId",
            "adjustmentId", "grantId", "packId", "ownerId");

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
            .build();

    private InputChecks() {}

    /** What is wrong with the query string, or null. */
    static String query(String rawQuery) {
        if (rawQuery == null) return null;
        String lower = rawQuery.toLowerCase();
        return lower.contains("%00") || rawQuery.indexOf('\u0000') >= 0 ? "The query holds a NUL character." : null;
    }

    /** What is wrong with an id segment of an {@code /api/} path, or null. */
    static String path(String rawUri) {
        if (!rawUri.startsWith("/api/")) return null;
        for (String segment : rawUri.split("/")) {
            String decoded;
            try {
                decoded = URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return "The path is not validly encoded.";
            }
            if (decoded.length() > MAX_ID_LENGTH) return "An id in the path is longer than " + MAX_ID_LENGTH + " characters.";
            if (hasControl(decoded)) return "An id in the path holds a control character.";
        }
        return null;
    }

    /** What is wrong with a JSON body, or null (also when it is not JSON: the endpoint says so). */
    static String body(InputStream body, boolean checkIds) throws IOException {
        try (JsonParser p = JSON.createParser(body)) {
            int depth = 0;
            String field = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                switch (t) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME -> {
                        field = p.currentName();
                        if (field.indexOf('\u0000') >= 0) return "A key holds a NUL character.";
                    }
                    case VALUE_STRING -> {
                        String text = p.getText();
                        if (text.indexOf('\u0000') >= 0) {
                            return "Field '" + printable(p.currentName()) + "' holds a NUL character.";
                        }
                        if (checkIds && depth == 1 && ID_FIELDS.contains(p.currentName())) {
                            String wrong = id(text);
                            if (wrong != null) return "Field '" + p.currentName() + "' " + wrong;
                        }
                    }
                    default -> { }
                }
            }
            return null;
        } catch (JsonParseException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Duplicate field")) {
                return "A key appears twice in one JSON object.";
            }
            return null; // not JSON: the endpoint answers its own 400
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Why a value cannot be an id, or null. */
    static String id(String value) {
        if (value.isEmpty()) return "must not be empty.";
        if (value.length() > MAX_ID_LENGTH) return "must be at most " + MAX_ID_LENGTH + " characters.";
        if (hasControl(value)) return "must not hold control characters.";
        return null;
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) return true;
        }
        return false;
    }

    private static String printable(String name) {
        if (name == null) return "";
        String clean = name.replace('\u0000', '?');
        return clean.length() > 60 ? clean.substring(0, 60) + "…" : clean;
    }
}
