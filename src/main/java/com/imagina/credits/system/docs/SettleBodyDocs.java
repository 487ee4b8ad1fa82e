package com.imagina.credits.system.docs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settle body as the five usage forms it is ({@code oneOf}), each with the contract's example: the
 * controller reads it as a JSON tree (so every error can name its field), which SpringDoc alone would show
 * as {@code JsonNode}.
 */
final class SettleBodyDocs {
    static final String SCHEMA_PREFIX = "SettleWith";

    private record Form(String field, String title, String description, List<String> counts, Map<String, List<String>> nested,
            String example) {}

    private static final List<Form> FORMS = List.of(
            new Form("usage", "Our own usage", "Normalized counts: `inputTokens` is uncached input only.",
                    List.of("inputTokens", "cacheReadTokens", "cacheWriteTokens", "cacheWrite1hTokens", "outputTokens", "images"),
                    Map.of(),
                    """
                    {"usage":{"inputTokens":5200,"cacheReadTokens":800,"cacheWriteTokens":0,"cacheWrite1hTokens":0,"outputTokens":412,"images":0}}"""),
            new Form("anthropicUsage", "Anthropic Messages", "As the API returns it: `input_tokens` exclude the cache; "
                    + "`cache_creation_input_tokens` are cache writes, split by `cache_creation` into 5-minute and 1-hour "
                    + "writes (all 5-minute without a split); `server_tool_use.web_search_requests` is billed per search.",
                    List.of("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens", "output_tokens"),
                    Map.of("cache_creation", List.of("ephemeral_5m_input_tokens", "ephemeral_1h_input_tokens"),
                            "server_tool_use", List.of("web_search_requests")),
                    """
                    {"anthropicUsage":{"input_tokens":5200,"cache_creation_input_tokens":0,"cache_read_input_tokens":800,"output_tokens":412,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0}}}"""),
            new Form("openaiUsage", "OpenAI Chat Completions", "`prompt_tokens` include the cached part; "
                    + "`completion_tokens` already include reasoning tokens (not added again); a `cache_write_tokens` is a "
                    + "5-minute write, taken out of the uncached input.",
                    List.of("prompt_tokens", "completion_tokens"),
                    Map.of("prompt_tokens_details", List.of("cached_tokens", "cache_write_tokens")),
                    """
                    {"openaiUsage":{"prompt_tokens":6000,"completion_tokens":412,"prompt_tokens_details":{"cached_tokens":800}}}"""),
            new Form("geminiUsage", "Google Gemini", "`promptTokenCount` includes the cached part; thoughts are billed as "
                    + "output on top of the candidates; `toolUsePromptTokenCount` is input outside `promptTokenCount`.",
                    List.of("promptTokenCount", "cachedContentTokenCount", "candidatesTokenCount", "thoughtsTokenCount",
                            "toolUsePromptTokenCount"),
                    Map.of(),
                    """
                    {"geminiUsage":{"promptTokenCount":6000,"cachedContentTokenCount":800,"candidatesTokenCount":300,"thoughtsTokenCount":112,"toolUsePromptTokenCount":0}}"""),
            new Form("openaiResponsesUsage", "OpenAI Responses", "`input_tokens` include cached reads and cache writes; "
                    + "`output_tokens` include reasoning.",
                    List.of("input_tokens", "output_tokens"),
                    Map.of("input_tokens_details", List.of("cached_tokens", "cache_write_tokens"),
                            "output_tokens_details", List.of("reasoning_tokens")),
                    """
                    {"openaiResponsesUsage":{"input_tokens":6000,"input_tokens_details":{"cached_tokens":800,"cache_write_tokens":0},"output_tokens":412,"output_tokens_details":{"reasoning_tokens":100}}}"""));

    private SettleBodyDocs() {}

    /** The schemas to register, by name. */
    static Map<String, Schema<?>> schemas() {
        Map<String, Schema<?>> schemas = new LinkedHashMap<>();
        for (Form form : FORMS) {
            ObjectSchema usage = countsObject(form.counts());
            form.nested().forEach((name, counts) -> usage.addProperty(name, countsObject(counts)));
            ObjectSchema body = new ObjectSchema();
            body.title(form.title()).description(form.description());
            body.addProperty(form.field(), usage);
            body.addProperty("webSearchRequests", count("Web searches the turn made, billed per request."));
            body.setRequired(List.of(form.field()));
            schemas.put(SCHEMA_PREFIX + capitalized(form.field()), body);
        }
        return schemas;
    }

    static RequestBody requestBody(ObjectMapper json) {
        Schema<Object> oneOf = new Schema<>();
        oneOf.description("Exactly one of the five usage forms, as the provider returned it.");
        MediaType media = new MediaType().schema(oneOf);
        for (Form form : FORMS) {
            oneOf.addOneOfItem(new Schema<>().$ref("#/components/schemas/" + SCHEMA_PREFIX + capitalized(form.field())));
            try {
                media.addExamples(form.field(), new Example().summary(form.title()).value(json.readTree(form.example())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new RequestBody().required(true).description("The model's real usage. Absent counts are 0; counts are "
                        + "whole numbers from 0 to 10,000,000; usage that contradicts itself (cached or written tokens "
                        + "above the prompt count that includes them) is 400 `invalid_request` naming the fields, and the "
                        + "turn stays open.")
                .content(new Content().addMediaType("application/json", media));
    }

    private static ObjectSchema countsObject(List<String> counts) {
        ObjectSchema object = new ObjectSchema();
        for (String name : counts) object.addProperty(name, count(null));
        return object;
    }

    private static Schema<?> count(String description) {
        IntegerSchema count = new IntegerSchema();
        count.format("int64").minimum(java.math.BigDecimal.ZERO).maximum(java.math.BigDecimal.valueOf(10_000_000));
        return description == null ? count : count.description(description);
    }

    private static String capitalized(String field) {
        return Character.toUpperCase(field.charAt(0)) + field.substring(1);
    }
}
