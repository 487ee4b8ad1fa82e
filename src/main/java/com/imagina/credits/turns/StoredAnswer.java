package com.imagina.credits.turns;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.IOException;

/**
 * An answer the database built and stored with the turn ({@code json_build_object(...)::text}, fields in
 * the contract's order), sent as the response body as it is: no parse into a record and no second
 * serialisation on the hot path. The text is only made compact (PostgreSQL writes {@code "a" : 1, "b"}):
 * the whitespace between tokens is dropped, strings are copied untouched, so the bytes are those the
 * record's serialisation gave (same field order, same escaping of the stored values).
 */
@JsonSerialize(using = StoredAnswer.Writer.class)
record StoredAnswer(String json) {

    static StoredAnswer of(String stored) {
        return new StoredAnswer(compact(stored));
    }

    /** {@code text} without whitespace outside its strings (JSON whitespace only: space, tab, CR, LF). */
    static String compact(String text) {
        StringBuilder out = null;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    if (out != null) out.append(c).append(text.charAt(i + 1));
                    i++;
                    continue;
                }
                if (c == '"') inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                if (out == null) out = new StringBuilder(text.length()).append(text, 0, i);
                continue;
            }
            if (out != null) out.append(c);
        }
        return out == null ? text : out.toString();
    }

    static final class Writer extends JsonSerializer<StoredAnswer> {
        @Override
        public void serialize(StoredAnswer value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeRawValue(value.json());
        }
    }
}
