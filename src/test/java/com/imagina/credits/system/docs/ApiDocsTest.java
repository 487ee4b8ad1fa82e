package com.imagina.credits.system.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.ApiTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /v3/api-docs says what the contract says: feature tags, summaries, problem answers, the settle forms. */
class ApiDocsTest extends ApiTest {
    private JsonNode docs;

    @BeforeEach
    void readDocs() {
        var r = api.get("/v3/api-docs", null);
        assertThat(r.status()).isEqualTo(200);
        docs = r.json();
    }

    @Test
    void everyOperationHasAFeatureTagASummaryAndItsProblemAnswers() {
        List<String> problems = new ArrayList<>();
        docs.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            String name = op.getKey().toUpperCase() + " " + path.getKey();
            JsonNode operation = op.getValue();
            String tag = operation.path("tags").path(0).asText();
            if (tag.isEmpty() || tag.endsWith("-controller") || operation.path("tags").size() != 1) problems.add(name + ": tag " + operation.path("tags"));
            if (operation.path("summary").asText().isBlank()) problems.add(name + ": no summary");
            boolean open = ApiOperations.PUBLIC.contains(name);
            if (!open && !operation.path("responses").has("401")) problems.add(name + ": no 401");
            for (Map.Entry<String, JsonNode> response : operation.path("responses").properties()) {
                int status = Integer.parseInt(response.getKey());
                if (status < 400) {
                    if (response.getValue().path("content").has("*/*")) problems.add(name + ": */* for " + status);
                    continue;
                }
                JsonNode problem = response.getValue().path("content").path("application/problem+json");
                if (!problem.path("schema").path("$ref").asText().endsWith("/Problem")) problems.add(name + ": " + status + " is not a Problem");
                problem.path("examples").forEach(example -> {
                    if (example.path("value").path("status").asInt() != status || example.path("value").path("code").asText().isBlank()) {
                        problems.add(name + ": " + status + " example " + example);
                    }
                });
                if (problem.path("examples").isEmpty()) problems.add(name + ": " + status + " names no code");
            }
        }));
        assertThat(problems).isEmpty();
        assertThat(docs.path("paths").has("/error")).isFalse();
        List<String> tags = new ArrayList<>();
        docs.path("tags").forEach(t -> tags.add(t.path("name").asText()));
        assertThat(tags).contains("Turns", "Accounts", "Payments", "Admin").noneMatch(t -> t.endsWith("-controller"));
    }

    @Test
    void theContractsCodesAreListedWhereTheyHappen() {
        assertThat(codes("post", "/api/v1/turns", "402")).containsExactly("insufficient_credits", "spend_limit_reached");
        assertThat(codes("post", "/api/v1/turns", "404")).containsExactly("unknown_model", "unknown_world");
        assertThat(codes("post", "/api/v1/turns", "409")).contains("idempotency_conflict");
        assertThat(codes("post", "/api/v1/turns/{turnId}/settle", "409")).containsExactly("idempotency_conflict", "turn_not_open");
        assertThat(codes("post", "/api/v1/turns/{turnId}/settle", "404")).containsExactly("unknown_turn");
        assertThat(codes("get", "/api/v1/worlds/{worldId}/earnings", "403")).containsExactly("forbidden");

        // And the service really answers what the document says.
        var settle = api.post("/api/v1/turns/" + id("t-missing") + "/settle", api.engine(), Map.of("usage", Map.of("outputTokens", 1)));
        assertThat(settle.status()).isEqualTo(404);
        assertThat(settle.contentType()).startsWith("application/problem+json");
        assertThat(codes("post", "/api/v1/turns/{turnId}/settle", "404")).contains(settle.json().path("code").asText());
        var unauthorized = api.get("/api/v1/accounts/me", null);
        assertThat(codes("get", "/api/v1/accounts/{accountId}", "401")).contains(unauthorized.json().path("code").asText());
    }

    @Test
    void theSettleBodyIsOneOfTheFiveUsageFormsAndEachExampleSettlesATurn() {
        JsonNode body = docs.at("/paths/~1api~1v1~1turns~1{turnId}~1settle/post/requestBody/content/application~1json");
        List<String> forms = new ArrayList<>();
        body.path("schema").path("oneOf").forEach(ref -> forms.add(ref.path("$ref").asText().replace("#/components/schemas/", "")));
        assertThat(forms).containsExactly("SettleWithUsage", "SettleWithAnthropicUsage", "SettleWithOpenaiUsage",
                "SettleWithGeminiUsage", "SettleWithOpenaiResponsesUsage");
        forms.forEach(form -> assertThat(docs.path("components").path("schemas").has(form)).as(form).isTrue());
        assertThat(docs.path("components").path("schemas").has("JsonNode")).isFalse();

        String accountId = id("u-docs");
        adjust(accountId, 1_000_000);
        String worldId = world(id("u-owner"), true);
        body.path("examples").properties().forEach(example -> {
            String turnId = id("t-docs");
            var authorized = api.post("/api/v1/turns", api.engine(), Map.of("turnId", turnId, "accountId", accountId,
                    "journeyId", id("j"), "worldId", worldId, "modelId", "claude-sonnet-4-5", "purpose", "world_text",
                    "maxOutputTokens", 1024, "expectedInputTokens", 6000));
            assertThat(authorized.status()).as(authorized.toString()).isEqualTo(201);
            var settled = api.post("/api/v1/turns/" + turnId + "/settle", api.engine(), example.getValue().path("value"));
            assertThat(settled.status()).as(example.getKey() + ": " + settled).isEqualTo(200);
            assertThat(settled.json().path("costMillicredits").asLong()).isPositive();
        });
        assertThat(body.path("examples").size()).isEqualTo(5);
    }

    private List<String> codes(String method, String path, String status) {
        List<String> codes = new ArrayList<>();
        docs.path("paths").path(path).path(method).path("responses").path(status).path("content")
                .path("application/problem+json").path("examples").forEach(e -> codes.add(e.path("value").path("code").asText()));
        return codes;
    }
}
