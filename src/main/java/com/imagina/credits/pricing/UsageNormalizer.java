package com.imagina.credits.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Maps a settle body in any of the contract's five usage forms to {@link NormalizedUsage}, the one
 * shape the cost formula reads. The forms differ in what their prompt count includes: Anthropic's
 * {@code input_tokens} exclude cache reads and writes, OpenAI's and Gemini's prompt counts include
 * them (so the cached part is subtracted), OpenAI's output counts include reasoning (not added
 * again), Gemini's thoughts are on top of its candidates, and Gemini's tool-use prompt is input
 * outside {@code promptTokenCount}. Counts that contradict each other are refused, never clamped:
 * a silent clamp would bill a different usage than the provider reported.
 */
public final class UsageNormalizer {
    static final String USAGE = "usage";
    static final String ANTHROPIC = "anthropicUsage";
    static final String OPENAI_CHAT = "openaiUsage";
    static final String GEMINI = "geminiUsage";
    static final String OPENAI_RESPONSES = "openaiResponsesUsage";
    static final String WEB_SEARCH_REQUESTS = "webSearchRequests";

    private static final List<String> FORMS = List.of(USAGE, ANTHROPIC, OPENAI_CHAT, GEMINI, OPENAI_RESPONSES);

    private UsageNormalizer() {}

    /**
     * @param body the whole settle body: exactly one usage form (a {@code null} form counts as
     *     absent) and optionally a top-level {@code webSearchRequests}; other top-level fields are ignored
     * @throws InvalidUsageException naming the offending fields
     */
    public static NormalizedUsage normalize(JsonNode body) {
        UsageObject top = UsageObject.of(body, "");
        List<String> present = FORMS.stream().filter(top::has).toList();
        if (present.size() != 1) {
            throw new InvalidUsageException("the settle body must carry exactly one of " + String.join(", ", FORMS)
                    + (present.isEmpty() ? "; it has none" : "; it has " + String.join(" and ", present)));
        }
        String form = present.get(0);
        UsageObject usage = top.child(form);
        NormalizedUsage normalized = switch (form) {
            case USAGE -> fromContractUsage(usage);
            case ANTHROPIC -> fromAnthropic(usage);
            case OPENAI_CHAT -> fromOpenAi(usage, "prompt_tokens", "prompt_tokens_details",
                    "completion_tokens", "completion_tokens_details");
            case OPENAI_RESPONSES -> fromOpenAi(usage, "input_tokens", "input_tokens_details",
                    "output_tokens", "output_tokens_details");
            case GEMINI -> fromGemini(usage);
            default -> throw new IllegalStateException("unhandled usage form " + form);
        };
        // The top-level count replaces Anthropic's own rather than adding to it: an engine that sends
        // both is reporting the same searches twice, and summing them would bill each search twice.
        long webSearches = top.has(WEB_SEARCH_REQUESTS)
                ? top.count(WEB_SEARCH_REQUESTS)
                : normalized.webSearchRequests();
        return withWebSearches(normalized, webSearches);
    }

    private static NormalizedUsage fromContractUsage(UsageObject u) {
        return new NormalizedUsage(u.count("inputTokens"), u.count("cacheReadTokens"), u.count("cacheWriteTokens"),
                u.count("cacheWrite1hTokens"), u.count("outputTokens"), u.count("images"), 0);
    }

    private static NormalizedUsage fromAnthropic(UsageObject a) {
        long written = a.count("cache_creation_input_tokens");
        UsageObject split = a.child("cache_creation");
        String fiveMinField = "ephemeral_5m_input_tokens";
        String oneHourField = "ephemeral_1h_input_tokens";
        long fiveMinute = written;
        long oneHour = 0;
        if (split.has(fiveMinField) || split.has(oneHourField)) {
            fiveMinute = split.count(fiveMinField);
            oneHour = split.count(oneHourField);
            if (fiveMinute + oneHour != written) {
                throw new InvalidUsageException(split.path(fiveMinField) + " (" + fiveMinute + ") + "
                        + split.path(oneHourField) + " (" + oneHour + ") do not add up to "
                        + a.path("cache_creation_input_tokens") + " (" + written + ")");
            }
        }
        long webSearches = a.child("server_tool_use").count("web_search_requests");
        return new NormalizedUsage(a.count("input_tokens"), a.count("cache_read_input_tokens"), fiveMinute, oneHour,
                a.count("output_tokens"), 0, webSearches);
    }

    /** Chat Completions and Responses differ only in field names. */
    private static NormalizedUsage fromOpenAi(UsageObject o, String promptField, String promptDetailsField,
            String outputField, String outputDetailsField) {
        long prompt = o.count(promptField);
        UsageObject promptDetails = o.child(promptDetailsField);
        long cached = promptDetails.count("cached_tokens");
        long written = promptDetails.count("cache_write_tokens");
        requireIncluded(o.path(promptField), prompt,
                promptDetails.path("cached_tokens"), cached, promptDetails.path("cache_write_tokens"), written);
        long output = o.count(outputField);
        UsageObject outputDetails = o.child(outputDetailsField);
        requireIncluded(o.path(outputField), output,
                outputDetails.path("reasoning_tokens"), outputDetails.count("reasoning_tokens"), null, 0);
        return new NormalizedUsage(prompt - cached - written, cached, written, 0, output, 0, 0);
    }

    private static NormalizedUsage fromGemini(UsageObject g) {
        long prompt = g.count("promptTokenCount");
        long cached = g.count("cachedContentTokenCount");
        requireIncluded(g.path("promptTokenCount"), prompt, g.path("cachedContentTokenCount"), cached, null, 0);
        long uncachedInput = prompt - cached + g.count("toolUsePromptTokenCount");
        long output = g.count("candidatesTokenCount") + g.count("thoughtsTokenCount");
        return new NormalizedUsage(uncachedInput, cached, 0, 0, output, 0, 0);
    }

    /** Parts a provider reports as included in a total must fit inside it; {@code secondName} may be null. */
    private static void requireIncluded(String totalName, long total, String firstName, long first,
            String secondName, long second) {
        if (first > total) {
            throw exceeds(firstName + " (" + first + ")", totalName, total);
        }
        if (second > total) {
            throw exceeds(secondName + " (" + second + ")", totalName, total);
        }
        if (first + second > total) {
            throw exceeds(firstName + " (" + first + ") + " + secondName + " (" + second + ")", totalName, total);
        }
    }

    private static InvalidUsageException exceeds(String parts, String totalName, long total) {
        return new InvalidUsageException(parts + " exceeds " + totalName + " (" + total + ")");
    }

    private static NormalizedUsage withWebSearches(NormalizedUsage u, long webSearches) {
        return new NormalizedUsage(u.inputTokens(), u.cacheReadTokens(), u.cacheWriteTokens(),
                u.cacheWrite1hTokens(), u.outputTokens(), u.images(), webSearches);
    }
}
