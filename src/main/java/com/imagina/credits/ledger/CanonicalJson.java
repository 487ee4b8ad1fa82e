package com.imagina.credits.ledger;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The canonical JSON of a request: object keys sorted (by {@link String#compareTo}), no whitespace, numbers and
 * strings as the service's {@link ObjectMapper} writes them. Its SHA-256 is the request hash stored with every
 * idempotent call, so these bytes may never change: a stored hash of an earlier call must match its replay.
 *
 * <p>The definition is the reference path {@link #reference}: the value converted to plain maps and lists and
 * written with {@link SerializationFeature#ORDER_MAP_ENTRIES_BY_KEYS}. That conversion (a token buffer, a map
 * per object) was an eighth of the turn controller's CPU samples, so the two shapes the money path hashes are
 * written directly, with the same generator and in the same order, and give the same characters (checked
 * against the reference by {@code CanonicalJsonProperties}):
 * <ul>
 * <li>a parsed JSON tree (a settle's usage body): objects' fields sorted, every scalar written as the
 *     conversion would have typed it (an int as an int, a float as a double or, if the mapper reads floats as
 *     decimals, as that decimal);</li>
 * <li>a record whose components are all strings, whole numbers, booleans or enums and carry no Jackson
 *     annotation (an authorization's request): its components sorted by name, read through cached handles.
 *     An enum is written as the mapper writes it ({@code @JsonValue}), which is what the conversion keeps.
 *     A record with a getter-like method ({@code getX()}, {@code isX()}) takes the reference path: the
 *     mapper would write it as one more property.</li>
 * </ul>
 * Anything else takes the reference path.
 */
final class CanonicalJson {
    private final ObjectMapper json;
    private final ObjectWriter sortedWriter;
    /** Per record class: its components in key order, or an empty array when it must take the reference path. */
    private final Map<Class<?>, Component[]> records = new ConcurrentHashMap<>();

    private record Component(String name, MethodHandle accessor) {}

    private static final Component[] REFERENCE = new Component[0];

    CanonicalJson(ObjectMapper json) {
        this.json = json;
        this.sortedWriter = json.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    }

    String write(Object value) {
        if (value instanceof JsonNode) {
            return generate(value, null);
        }
        if (value instanceof Record record) {
            Component[] components = records.computeIfAbsent(record.getClass(), CanonicalJson::componentsOf);
            if (components != REFERENCE) {
                return generate(record, components);
            }
        }
        return reference(value);
    }

    /** The definition: plain maps and lists, written with their keys sorted. */
    String reference(Object value) {
        try {
            return sortedWriter.writeValueAsString(json.convertValue(value, Object.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tree ({@code components} null) or a record of those components, written directly. */
    private String generate(Object value, Component[] components) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = json.createGenerator(out)) { // the mapper's generator settings, as its writer's
            if (components == null) {
                writeTree(g, (JsonNode) value);
            } else {
                writeRecord(g, (Record) value, components);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private void writeTree(JsonGenerator g, JsonNode node) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<String> names = new ArrayList<>(node.size());
                node.fieldNames().forEachRemaining(names::add);
                names.sort(Comparator.naturalOrder());
                g.writeStartObject();
                for (String name : names) {
                    g.writeFieldName(name);
                    writeTree(g, node.get(name));
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                    writeTree(g, it.next());
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(node.textValue());
            case BOOLEAN -> g.writeBoolean(node.booleanValue());
            case NULL -> g.writeNull();
            case NUMBER -> writeNumber(g, node);
            default -> json.writeValue(g, json.convertValue(node, Object.class)); // binary, POJO, missing
        }
    }

    /** A number as the conversion types it: ints by size, floats as doubles unless the mapper reads decimals. */
    private void writeNumber(JsonGenerator g, JsonNode node) throws IOException {
        if (node.isIntegralNumber()) {
            if (json.isEnabled(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
                    || node.isBigInteger()) {
                g.writeNumber(node.bigIntegerValue());
            } else if (node.isInt() && !json.isEnabled(
                    DeserializationFeature.USE_LONG_FOR_INTS)) {
                g.writeNumber(node.intValue());
            } else {
                g.writeNumber(node.longValue());
            }
        } else if (json.isEnabled(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                || node.isBigDecimal()) {
            g.writeNumber(node.decimalValue());
        } else {
            g.writeNumber(node.doubleValue());
        }
    }

    private void writeRecord(JsonGenerator g, Record record, Component[] components) throws IOException {
        g.writeStartObject();
        for (Component c : components) {
            Object v;
            try {
                v = c.accessor().invoke(record);
            } catch (Throwable t) {
                throw new IllegalStateException("Cannot read " + c.name() + " of " + record.getClass(), t);
            }
            g.writeFieldName(c.name());
            if (v == null) {
                g.writeNull();
            } else if (v instanceof String s) {
                g.writeString(s);
            } else if (v instanceof Integer i) {
                g.writeNumber(i);
            } else if (v instanceof Long l) {
                g.writeNumber(l);
            } else if (v instanceof Boolean b) {
                g.writeBoolean(b);
            } else {
                json.writeValue(g, v); // an enum: its wire name
            }
        }
        g.writeEndObject();
    }

    /** A record's components sorted by name, when each is a plain scalar with no Jackson annotation. */
    private static Component[] componentsOf(Class<?> type) {
        RecordComponent[] parts = type.getRecordComponents();
        List<Component> out = new ArrayList<>(parts.length);
        for (RecordComponent part : parts) {
            Class<?> t = part.getType();
            boolean plain = t == String.class || t == Integer.class || t == Long.class || t == Boolean.class
                    || t.isEnum();
            if (!plain || jacksonAnnotated(part) || jacksonAnnotated(part.getAccessor())) {
                return REFERENCE;
            }
            try {
                part.getAccessor().setAccessible(true);
                out.add(new Component(part.getName(), MethodHandles.lookup().unreflect(part.getAccessor())));
            } catch (IllegalAccessException | RuntimeException e) {
                return REFERENCE;
            }
        }
        if (jacksonAnnotated(type) || Arrays.stream(type.getDeclaredMethods()).anyMatch(CanonicalJson::getterLike)) {
            return REFERENCE; // the mapper could name, add or drop properties the components do not show
        }
        out.sort(Comparator.comparing(Component::name));
        return out.toArray(Component[]::new);
    }

    /** A method the mapper may take for a property of its own ({@code getX()}, {@code isX()}). */
    private static boolean getterLike(java.lang.reflect.Method m) {
        String n = m.getName();
        boolean named = (n.startsWith("get") && n.length() > 3 && Character.isUpperCase(n.charAt(3)))
                || (n.startsWith("is") && n.length() > 2 && Character.isUpperCase(n.charAt(2)));
        return named && m.getParameterCount() == 0 && m.getReturnType() != void.class;
    }

    private static boolean jacksonAnnotated(AnnotatedElement element) {
        return Arrays.stream(element.getAnnotations())
                .anyMatch(a -> a.annotationType().getPackageName().startsWith("com.fasterxml.jackson"));
    }
}
