package com.imagina.credits.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/**
 * The request hashes stored with every idempotent call are SHA-256 of {@link CanonicalJson}'s text, so its
 * direct writers must give exactly the characters of the reference path (convert to plain maps, write with
 * sorted keys) for every request: parsed JSON of any shape (nesting, key order, duplicate keys, escapes,
 * unpaired surrogates, numbers of every size and form) and records of scalars. Checked with the mapper as the
 * service configures it (application.yml's Jackson settings), and with one that reads floats as decimals.
 */
class CanonicalJsonProperties {
    /** Spring Boot's builder with application.yml's {@code spring.jackson} settings. */
    private static final ObjectMapper SERVICE = Jackson2ObjectMapperBuilder.json()
            .serializationInclusion(JsonInclude.Include.ALWAYS)
            .featuresToDisable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .featuresToEnable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                    DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .build();
    private static final ObjectMapper DECIMALS = Jackson2ObjectMapperBuilder.json()
            .featuresToEnable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    enum Kind {
        PLAY, WORLD_TEXT;

        @JsonValue
        String wire() {
            return name().toLowerCase();
        }
    }

    /** The shape of an authorization's request: strings, whole numbers, an enum, any of them null. */
    record Plain(String turnId, String accountId, String journeyId, Kind purpose, Long maxOutputTokens,
            Integer images, Boolean flag, String zeta, String Alpha) {}

    /** Renamed by an annotation: must take the reference path (and so give the mapper's name). */
    record Renamed(@JsonProperty("b_renamed") String a, String c) {}

    /** A getter-like method is one more property to the mapper: must take the reference path. */
    record WithGetter(String a) {
        public String getExtra() {
            return "x" + a;
        }
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12),
                Arbitraries.strings().withChars("\"\\/\u0000\u001f\u007f\n\t\r\b\fé€😀\ud800\udc00\u2028<>&'")
                        .ofMaxLength(8),
                Arbitraries.strings().all().ofMaxLength(6));
    }

    @Provide
    Arbitrary<String> number() {
        return Arbitraries.oneOf(
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.bigIntegers().between(new java.math.BigInteger("-1" + "0".repeat(40)),
                        new java.math.BigInteger("1" + "0".repeat(40))).map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.of("0", "-0", "-0.0", "0.0", "1.0", "1e400", "-1e400", "1E-7", "1.5e3", "123456789012345678901234.5",
                        "0.1", "2.5E-324", "9007199254740993", "4.9e-325", "1.00000000000000000001"));
    }

    /** JSON text of random shape, keys in random order, sometimes a key twice. */
    @Provide
    Arbitrary<String> document() {
        return value(3);
    }

    private Arbitrary<String> value(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(number(), text().map(CanonicalJsonProperties::quoted),
                Arbitraries.of("true", "false", "null"));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> member = Combinators.combine(Arbitraries.oneOf(text(), Arbitraries.of("a", "b", "A", "usage")),
                value(depth - 1)).as((k, v) -> quoted(k) + ":" + v);
        Arbitrary<String> object = member.list().ofMaxSize(5).map(ms -> "{" + String.join(",", ms) + "}");
        Arbitrary<String> array = value(depth - 1).list().ofMaxSize(4).map(vs -> "[" + String.join(", ", vs) + "]");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, scalar), net.jqwik.api.Tuple.of(3, object), net.jqwik.api.Tuple.of(1, array));
    }

    private static String quoted(String s) {
        try {
            return SERVICE.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Property(tries = 2000)
    void parsedJsonWritesAsTheReference(@ForAll("document") String doc) throws Exception {
        for (ObjectMapper mapper : List.of(SERVICE, DECIMALS)) {
            JsonNode tree = mapper.readTree(doc);
            CanonicalJson canonical = new CanonicalJson(mapper);
            assertThat(canonical.write(tree)).as(doc).isEqualTo(canonical.reference(tree));
        }
    }

    @Provide
    Arbitrary<Plain> plain() {
        Arbitrary<String> s = text().injectNull(0.2);
        return Combinators.combine(s, s, s, Arbitraries.of(Kind.class).injectNull(0.2),
                        Arbitraries.longs().injectNull(0.2), Arbitraries.integers().injectNull(0.2),
                        Arbitraries.of(true, false).injectNull(0.2), s)
                .as((t, a, j, k, m, i, f, z) -> new Plain(t, a, j, k, m, i, f, z, z == null ? null : z + "A"));
    }

    @Property(tries = 1000)
    void recordsOfScalarsWriteAsTheReference(@ForAll("plain") Plain request) {
        CanonicalJson canonical = new CanonicalJson(SERVICE);
        assertThat(canonical.write(request)).isEqualTo(canonical.reference(request));
    }

    @Example
    void annotatedOrGetterRecordsTakeTheReferencePath() {
        CanonicalJson canonical = new CanonicalJson(SERVICE);
        assertThat(canonical.write(new Renamed("x", "y"))).isEqualTo("{\"b_renamed\":\"x\",\"c\":\"y\"}");
        assertThat(canonical.write(new WithGetter("y"))).isEqualTo("{\"a\":\"y\",\"extra\":\"xy\"}");
    }

    @Example
    void keysAreSortedAndNoWhitespaceIsWritten() throws Exception {
        CanonicalJson canonical = new CanonicalJson(SERVICE);
        JsonNode tree = SERVICE.readTree("{ \"b\": [1, 2.50, {\"z\":null, \"a\":\"é\"}], \"a\": 1e2, \"B\": true }");
        assertThat(canonical.write(tree)).isEqualTo("{\"B\":true,\"a\":100.0,\"b\":[1,2.5,{\"a\":\"é\",\"z\":null}]}");
        assertThat(canonical.write(new Plain("t", null, null, Kind.WORLD_TEXT, 5L, null, null, null, null)))
                .isEqualTo("{\"Alpha\":null,\"accountId\":null,\"flag\":null,\"images\":null,\"journeyId\":null,"
                        + "\"maxOutputTokens\":5,\"purpose\":\"world_text\",\"turnId\":\"t\",\"zeta\":null}");
    }
}
