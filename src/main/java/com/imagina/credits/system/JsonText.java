package com.imagina.credits.system;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;

/**
 * JSON our own code stored (answers kept for replays, price snapshots, prior profiles) read back and
 * written, with the application's mapper. A failure here is a bug in stored data, not a client error,
 * so it is unchecked.
 */
@Component
public class JsonText {
    private final ObjectMapper json;

    JsonText(ObjectMapper json) {
        this.json = json;
    }

    public String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON", e);
        }
    }

    public <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is unreadable as " + type.getSimpleName(), e);
        }
    }

    public <T> T read(JsonNode tree, Class<T> type) {
        try {
            return json.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is unreadable as " + type.getSimpleName(), e);
        }
    }

    public JsonNode tree(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is unreadable", e);
        }
    }
}
