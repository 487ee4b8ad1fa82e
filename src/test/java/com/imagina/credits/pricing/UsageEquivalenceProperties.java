package com.imagina.credits.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * One underlying usage, written in every provider's shape that can express it, must normalize to
 * the same {@link NormalizedUsage} and cost the same. OpenAI shapes have no 1-hour cache write and
 * Gemini has no cache write at all, so those shapes are only built when the usage has none.
 */
class UsageEquivalenceProperties {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Keeps every provider's summed prompt count within the 10,000,000 a single field may carry. */
    private static final long MAX_PART = 2_000_000;

    /** What happened, in provider-neutral terms; {@code toolUsePrompt} is the part of the input Gemini reports separately. */
    record Underlying(long uncachedInput, long toolUsePrompt, long cacheRead, long cacheWrite5m, long cacheWrite1h,
            long visibleOutput, long reasoning, long webSearches) {

        NormalizedUsage expected() {
            return new NormalizedUsage(uncachedInput, cacheRead, cacheWrite5m, cacheWrite1h, visibleOutput + reasoning,
                    0, webSearches);
        }
    }

    @Provide
    Arbitrary<Underlying> underlyingUsage() {
        Arbitrary<Long> part = Arbitraries.longs().between(0, MAX_PART);
        Arbitrary<Long> maybeZero = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(0L)), Tuple.of(2, part));
        return Combinators.combine(part, maybeZero, maybeZero, maybeZero, maybeZero, part, maybeZero,
                        Arbitraries.longs().between(0, 50))
                .as((input, toolShare, read, w5, w1h, visible, reasoning, searches) -> new Underlying(input,
                        Math.min(toolShare, input), read, w5, w1h, visible, reasoning, searches));
    }

    @Property
    void everyShapeOfTheSameUsageNormalizesAndCostsTheSame(@ForAll("underlyingUsage") Underlying u,
            @ForAll boolean anthropicSearchesInside, @ForAll boolean extraProviderFields) {
        Map<String, ObjectNode> bodies = new LinkedHashMap<>(); // usage form -> settle body
        bodies.put("usage", contractForm(u));
        bodies.put("anthropicUsage", anthropic(u, anthropicSearchesInside));
        if (u.cacheWrite1h() == 0) {
            bodies.put("openaiUsage", openAi(u, "openaiUsage", "prompt_tokens", "prompt_tokens_details",
                    "completion_tokens", "completion_tokens_details"));
            bodies.put("openaiResponsesUsage", openAi(u, "openaiResponsesUsage", "input_tokens",
                    "input_tokens_details", "output_tokens", "output_tokens_details"));
        }
        if (u.cacheWrite5m() == 0 && u.cacheWrite1h() == 0) {
            bodies.put("geminiUsage", gemini(u));
        }
        Prices prices = SeedCatalog.defaultModel().prices();
        long expectedCost = CostCalculator.cost(u.expected(), prices, BigDecimal.valueOf(1000)).millicredits();
        bodies.forEach((form, body) -> {
            if (extraProviderFields) {
                // Providers add fields; an unknown one must change nothing.
                ((ObjectNode) body.get(form)).putObject("some_future_field").put("tokens", 12345);
            }
            NormalizedUsage normalized = UsageNormalizer.normalize(body);
            assertThat(normalized).as(body.toString()).isEqualTo(u.expected());
            assertThat(CostCalculator.cost(normalized, prices, BigDecimal.valueOf(1000)).millicredits())
                    .as(body.toString()).isEqualTo(expectedCost);
        });
    }

    private static ObjectNode contractForm(Underlying u) {
        ObjectNode body = NODES.objectNode();
        body.putObject("usage")
                .put("inputTokens", u.uncachedInput())
                .put("cacheReadTokens", u.cacheRead())
                .put("cacheWriteTokens", u.cacheWrite5m())
                .put("cacheWrite1hTokens", u.cacheWrite1h())
                .put("outputTokens", u.visibleOutput() + u.reasoning())
                .put("images", 0);
        return body.put("webSearchRequests", u.webSearches());
    }

    private static ObjectNode anthropic(Underlying u, boolean searchesInside) {
        ObjectNode body = NODES.objectNode();
        ObjectNode usage = body.putObject("anthropicUsage")
                .put("input_tokens", u.uncachedInput())
                .put("cache_read_input_tokens", u.cacheRead())
                .put("cache_creation_input_tokens", u.cacheWrite5m() + u.cacheWrite1h())
                .put("output_tokens", u.visibleOutput() + u.reasoning());
        if (u.cacheWrite1h() > 0 || u.cacheWrite5m() % 2 == 0) { // without 1-hour writes the split is optional
            usage.putObject("cache_creation")
                    .put("ephemeral_5m_input_tokens", u.cacheWrite5m())
                    .put("ephemeral_1h_input_tokens", u.cacheWrite1h());
        }
        if (searchesInside) {
            usage.putObject("server_tool_use").put("web_search_requests", u.webSearches());
        } else {
            body.put("webSearchRequests", u.webSearches());
        }
        return body;
    }

    private static ObjectNode openAi(Underlying u, String form, String promptField, String promptDetails,
            String outputField, String outputDetails) {
        ObjectNode body = NODES.objectNode();
        ObjectNode usage = body.putObject(form)
                .put(promptField, u.uncachedInput() + u.cacheRead() + u.cacheWrite5m())
                .put(outputField, u.visibleOutput() + u.reasoning());
        usage.putObject(promptDetails).put("cached_tokens", u.cacheRead()).put("cache_write_tokens", u.cacheWrite5m());
        usage.putObject(outputDetails).put("reasoning_tokens", u.reasoning());
        return body.put("webSearchRequests", u.webSearches());
    }

    private static ObjectNode gemini(Underlying u) {
        ObjectNode body = NODES.objectNode();
        body.putObject("geminiUsage")
                .put("promptTokenCount", u.uncachedInput() - u.toolUsePrompt() + u.cacheRead())
                .put("cachedContentTokenCount", u.cacheRead())
                .put("toolUsePromptTokenCount", u.toolUsePrompt())
                .put("candidatesTokenCount", u.visibleOutput())
                .put("thoughtsTokenCount", u.reasoning());
        return body.put("webSearchRequests", u.webSearches());
    }
}
