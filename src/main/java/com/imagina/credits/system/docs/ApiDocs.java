package com.imagina.credits.system.docs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document says what the contract says: each operation gets its feature's tag (not
 * {@code *-controller}), a summary, and every problem+json answer it can give with its codes
 * ({@link ApiOperations}); the settle body is its five usage forms ({@link SettleBodyDocs}). Kept here, in
 * one table beside the contract's words, rather than as annotations spread over the controllers, so the
 * document reads as one piece; an operation the table does not know still gets its tag (by path) and the
 * answers every call can give (401, 503).
 */
@Configuration(proxyBeanMethods = false)
class ApiDocs {
    static final String PROBLEM = "Problem";
    static final String PROBLEM_JSON = "application/problem+json";

    @Bean
    OpenApiCustomizer contractDocs(ObjectMapper json) {
        return openApi -> customise(openApi, json);
    }

    static void customise(OpenAPI openApi, ObjectMapper json) {
        openApi.getPaths().remove("/error");
        openApi.getComponents().addSchemas(PROBLEM, problemSchema());
        SettleBodyDocs.schemas().forEach(openApi.getComponents()::addSchemas);
        openApi.getComponents().getSchemas().remove("JsonNode");
        openApi.setTags(new ArrayList<>(ApiOperations.TAGS.entrySet().stream()
                .map(e -> new Tag().name(e.getKey()).description(e.getValue())).toList()));
        openApi.getInfo().description(ApiOperations.OVERVIEW);
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                describe(path, method, operation, json)));
    }

    private static void describe(String path, PathItem.HttpMethod method, Operation operation, ObjectMapper json) {
        ApiOperations.Doc doc = ApiOperations.find(method.name(), path);
        operation.setTags(List.of(doc != null ? doc.tag() : ApiOperations.tagOf(path)));
        if (doc != null) {
            operation.setSummary(doc.summary());
            if (doc.description() != null) operation.setDescription(doc.description());
        }
        if ("POST".equals(method.name()) && path.equals("/api/v1/turns/{turnId}/settle")) {
            operation.setRequestBody(SettleBodyDocs.requestBody(json));
        }
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        fixSuccessMediaTypes(path, responses);
        Map<Integer, List<String>> errors = new LinkedHashMap<>();
        if (doc != null) errors.putAll(doc.errors());
        boolean open = ApiOperations.PUBLIC.contains(method.name() + " " + path);
        if (!open) errors.putIfAbsent(401, List.of("unauthorized"));
        if (operation.getRequestBody() != null) errors.putIfAbsent(413, List.of("payload_too_large"));
        if (!path.startsWith("/dev/")) errors.putIfAbsent(503, List.of("service_unavailable"));
        errors.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> responses.addApiResponse(String.valueOf(e.getKey()), problem(e.getKey(), e.getValue())));
        operation.setResponses(responses);
    }

    /** SpringDoc lists {@code *}{@code /*} for a 2xx; the API answers JSON (CSV for the .csv downloads). */
    private static void fixSuccessMediaTypes(String path, ApiResponses responses) {
        responses.forEach((status, response) -> {
            Content content = response.getContent();
            if (content == null || !content.containsKey("*/*")) return;
            MediaType media = content.remove("*/*");
            content.addMediaType(path.endsWith(".csv") ? "text/csv" : "application/json", media);
        });
    }

    private static ApiResponse problem(int status, List<String> codes) {
        MediaType media = new MediaType().schema(new Schema<Object>().$ref("#/components/schemas/" + PROBLEM));
        for (String code : codes) {
            Map<String, Object> example = new LinkedHashMap<>();
            example.put("type", "about:blank");
            example.put("title", ApiOperations.TITLES.getOrDefault(status, "Error"));
            example.put("status", status);
            example.put("detail", ApiOperations.DETAILS.getOrDefault(code, "See the code."));
            example.put("code", code);
            media.addExamples(code, new Example().summary(code).value(example));
        }
        return new ApiResponse().description(ApiOperations.TITLES.getOrDefault(status, "Error") + ": `"
                        + String.join("`, `", codes) + "`")
                .content(new Content().addMediaType(PROBLEM_JSON, media));
    }

    private static ObjectSchema problemSchema() {
        ObjectSchema schema = new ObjectSchema();
        schema.description("RFC 9457 problem details with a machine-readable `code`; never a stack trace. A request "
                + "that fails changes nothing. Some codes add members (402: `availableMillicredits`, "
                + "`requiredMillicredits`, `freeTurnsRemaining`, `suggestedModel`; 503: a `Retry-After` header).");
        schema.addProperty("type", new StringSchema().example("about:blank"));
        schema.addProperty("title", new StringSchema().example("Bad Request"));
        schema.addProperty("status", new IntegerSchema().example(400));
        schema.addProperty("detail", new StringSchema().example("maxOutputTokens must be a whole number from 1 to 10,000,000."));
        schema.addProperty("code", new StringSchema().description("Machine-readable, stable.").example("invalid_request"));
        schema.required(List.of("status", "title", "code"));
        return schema;
    }
}
