package com.imagina.credits.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UsageNormalizerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static NormalizedUsage normalize(String body) throws Exception {
        return UsageNormalizer.normalize(JSON.readTree(body));
    }

    static Stream<Arguments> contradictions() {
        return Stream.of(
                Arguments.of("no form", "{}", new String[] {"exactly one of", "none"}),
                Arguments.of("only null forms", "{\"usage\":null,\"webSearchRequests\":1}", new String[] {"none"}),
                Arguments.of("two forms", "{\"usage\":{},\"openaiUsage\":{}}", new String[] {"usage and openaiUsage"}),
                Arguments.of("body not an object", "[1]", new String[] {"the settle body must be a JSON object"}),
                Arguments.of("form not an object", "{\"usage\":5}", new String[] {"usage must be a JSON object"}),
                Arguments.of("details not an object", "{\"openaiUsage\":{\"prompt_tokens_details\":3}}",
                        new String[] {"openaiUsage.prompt_tokens_details must be a JSON object"}),
                Arguments.of("negative", "{\"usage\":{\"inputTokens\":-1}}",
                        new String[] {"usage.inputTokens (-1) must not be negative"}),
                Arguments.of("huge negative", "{\"usage\":{\"outputTokens\":-99999999999999999999999}}",
                        new String[] {"usage.outputTokens", "must not be negative"}),
                Arguments.of("fraction", "{\"usage\":{\"outputTokens\":1.5}}",
                        new String[] {"usage.outputTokens must be a whole number"}),
                Arguments.of("float that looks whole", "{\"usage\":{\"outputTokens\":12.0}}",
                        new String[] {"usage.outputTokens must be a whole number"}),
                Arguments.of("string", "{\"anthropicUsage\":{\"input_tokens\":\"12\"}}",
                        new String[] {"anthropicUsage.input_tokens must be a whole number"}),
                Arguments.of("boolean", "{\"geminiUsage\":{\"promptTokenCount\":true}}",
                        new String[] {"geminiUsage.promptTokenCount must be a whole number"}),
                Arguments.of("above ten million", "{\"usage\":{\"images\":10000001}}",
                        new String[] {"usage.images (10000001) exceeds the maximum of 10000000"}),
                Arguments.of("beyond a long", "{\"openaiUsage\":{\"prompt_tokens\":99999999999999999999999}}",
                        new String[] {"openaiUsage.prompt_tokens", "exceeds the maximum"}),
                Arguments.of("top-level web searches negative", "{\"usage\":{},\"webSearchRequests\":-2}",
                        new String[] {"webSearchRequests (-2) must not be negative"}),
                Arguments.of("chat cached above prompt",
                        "{\"openaiUsage\":{\"prompt_tokens\":6000,\"prompt_tokens_details\":{\"cached_tokens\":7000}}}",
                        new String[] {"openaiUsage.prompt_tokens_details.cached_tokens (7000) exceeds "
                                + "openaiUsage.prompt_tokens (6000)"}),
                Arguments.of("chat cache write above prompt",
                        "{\"openaiUsage\":{\"prompt_tokens\":6000,\"prompt_tokens_details\":{\"cache_write_tokens\":6001}}}",
                        new String[] {"openaiUsage.prompt_tokens_details.cache_write_tokens (6001) exceeds "
                                + "openaiUsage.prompt_tokens (6000)"}),
                Arguments.of("chat cached plus written above prompt",
                        "{\"openaiUsage\":{\"prompt_tokens\":6000,"
                                + "\"prompt_tokens_details\":{\"cached_tokens\":4000,\"cache_write_tokens\":3000}}}",
                        new String[] {"openaiUsage.prompt_tokens_details.cached_tokens (4000)",
                                "openaiUsage.prompt_tokens_details.cache_write_tokens (3000)",
                                "exceeds openaiUsage.prompt_tokens (6000)"}),
                Arguments.of("chat reasoning above completion",
                        "{\"openaiUsage\":{\"completion_tokens\":100,\"completion_tokens_details\":{\"reasoning_tokens\":101}}}",
                        new String[] {"openaiUsage.completion_tokens_details.reasoning_tokens (101) exceeds "
                                + "openaiUsage.completion_tokens (100)"}),
                Arguments.of("responses cached above input",
                        "{\"openaiResponsesUsage\":{\"input_tokens\":10,\"input_tokens_details\":{\"cached_tokens\":11}}}",
                        new String[] {"openaiResponsesUsage.input_tokens_details.cached_tokens (11) exceeds "
                                + "openaiResponsesUsage.input_tokens (10)"}),
                Arguments.of("responses cached plus written above input",
                        "{\"openaiResponsesUsage\":{\"input_tokens\":10,"
                                + "\"input_tokens_details\":{\"cached_tokens\":6,\"cache_write_tokens\":5}}}",
                        new String[] {"openaiResponsesUsage.input_tokens_details.cached_tokens (6)",
                                "openaiResponsesUsage.input_tokens_details.cache_write_tokens (5)",
                                "openaiResponsesUsage.input_tokens (10)"}),
                Arguments.of("responses reasoning above output",
                        "{\"openaiResponsesUsage\":{\"output_tokens\":5,\"output_tokens_details\":{\"reasoning_tokens\":6}}}",
                        new String[] {"openaiResponsesUsage.output_tokens_details.reasoning_tokens (6) exceeds "
                                + "openaiResponsesUsage.output_tokens (5)"}),
                Arguments.of("gemini cached above prompt",
                        "{\"geminiUsage\":{\"promptTokenCount\":800,\"cachedContentTokenCount\":801}}",
                        new String[] {"geminiUsage.cachedContentTokenCount (801) exceeds geminiUsage.promptTokenCount (800)"}),
                Arguments.of("anthropic split below total",
                        "{\"anthropicUsage\":{\"cache_creation_input_tokens\":1000,"
                                + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":400,\"ephemeral_1h_input_tokens\":500}}}",
                        new String[] {"anthropicUsage.cache_creation.ephemeral_5m_input_tokens (400)",
                                "anthropicUsage.cache_creation.ephemeral_1h_input_tokens (500)",
                                "anthropicUsage.cache_creation_input_tokens (1000)"}),
                Arguments.of("anthropic split without a total",
                        "{\"anthropicUsage\":{\"cache_creation\":{\"ephemeral_1h_input_tokens\":500}}}",
                        new String[] {"anthropicUsage.cache_creation.ephemeral_1h_input_tokens (500)",
                                "anthropicUsage.cache_creation_input_tokens (0)"}),
                Arguments.of("anthropic web searches not a number",
                        "{\"anthropicUsage\":{\"server_tool_use\":{\"web_search_requests\":\"3\"}}}",
                        new String[] {"anthropicUsage.server_tool_use.web_search_requests must be a whole number"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contradictions")
    void refusesUsageThatCannotBeBilledAndNamesTheFields(String label, String body, String[] named) {
        assertThatThrownBy(() -> normalize(body))
                .isInstanceOf(InvalidUsageException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(named));
    }

    @Test
    void invalidUsageIsAFourHundredInvalidRequest() {
        InvalidUsageException e = new InvalidUsageException("x");
        assertThat(e.status().value()).isEqualTo(400);
        assertThat(e.code()).isEqualTo("invalid_request");
    }

    @Test
    void missingAndNullCountsAreZeroAndUnknownFieldsAreIgnored() throws Exception {
        NormalizedUsage usage = normalize("""
                {"anthropicUsage":{"input_tokens":7,"output_tokens":null,"cache_read_input_tokens":null,
                 "cache_creation":null,"server_tool_use":null,"service_tier":"priority","brand_new_field":{"x":1}},
                 "turnNote":"ignored"}""");
        assertThat(usage).isEqualTo(new NormalizedUsage(7, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void anEmptySplitObjectMeansNoSplit() throws Exception {
        NormalizedUsage usage = normalize("""
                {"anthropicUsage":{"cache_creation_input_tokens":300,"cache_creation":{}}}""");
        assertThat(usage).isEqualTo(new NormalizedUsage(0, 0, 300, 0, 0, 0, 0));
    }

    @Test
    void aNullFormBesideARealOneCountsAsAbsent() throws Exception {
        NormalizedUsage usage = normalize("""
                {"usage":null,"geminiUsage":{"promptTokenCount":10}}""");
        assertThat(usage).isEqualTo(new NormalizedUsage(10, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void topLevelWebSearchesReplaceAnthropicsOwnCountInsteadOfAddingToIt() throws Exception {
        String anthropic = "\"anthropicUsage\":{\"server_tool_use\":{\"web_search_requests\":3}}";
        assertThat(normalize("{" + anthropic + "}").webSearchRequests()).isEqualTo(3);
        assertThat(normalize("{" + anthropic + ",\"webSearchRequests\":2}").webSearchRequests()).isEqualTo(2);
        assertThat(normalize("{" + anthropic + ",\"webSearchRequests\":null}").webSearchRequests()).isEqualTo(3);
    }

    @Test
    void theContractsExampleBodiesAllNormalize() throws Exception {
        // The five examples of API.md, verbatim.
        assertThat(normalize("""
                {"usage":{"inputTokens":5200,"cacheReadTokens":800,"cacheWriteTokens":0,"cacheWrite1hTokens":0,"outputTokens":412,"images":0}}"""))
                .isEqualTo(new NormalizedUsage(5200, 800, 0, 0, 412, 0, 0));
        assertThat(normalize("""
                {"anthropicUsage":{"input_tokens":5200,"cache_creation_input_tokens":0,"cache_read_input_tokens":800,"output_tokens":412,
                  "cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0}}}"""))
                .isEqualTo(new NormalizedUsage(5200, 800, 0, 0, 412, 0, 0));
        assertThat(normalize("""
                {"openaiUsage":{"prompt_tokens":6000,"completion_tokens":412,"prompt_tokens_details":{"cached_tokens":800}}}"""))
                .isEqualTo(new NormalizedUsage(5200, 800, 0, 0, 412, 0, 0));
        assertThat(normalize("""
                {"geminiUsage":{"promptTokenCount":6000,"cachedContentTokenCount":800,"candidatesTokenCount":300,"thoughtsTokenCount":112,
                  "toolUsePromptTokenCount":0}}"""))
                .isEqualTo(new NormalizedUsage(5200, 800, 0, 0, 412, 0, 0));
        assertThat(normalize("""
                {"openaiResponsesUsage":{"input_tokens":6000,"input_tokens_details":{"cached_tokens":800,"cache_write_tokens":0},
                  "output_tokens":412,"output_tokens_details":{"reasoning_tokens":100}}}"""))
                .isEqualTo(new NormalizedUsage(5200, 800, 0, 0, 412, 0, 0));
    }

    @Test
    void countsAtTheMaximumAreAccepted() throws Exception {
        JsonNode body = JSON.readTree("{\"usage\":{\"inputTokens\":10000000,\"outputTokens\":10000000}}");
        assertThat(UsageNormalizer.normalize(body).inputTokens()).isEqualTo(10_000_000L);
    }
}
