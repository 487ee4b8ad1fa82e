package com.imagina.credits.proof;

import java.util.Random;

/**
 * Settle bodies in the five usage forms of the contract, with counts that agree with themselves
 * (cached and written tokens inside the prompt counts that include them), built as plain strings:
 * the load client must spend its CPU on sending requests, not on a JSON library.
 */
public final class UsageForms {
    private UsageForms() {}

    /** One of the five forms at random, around {@code prompt} prompt tokens and {@code output} output tokens. */
    public static String random(Random r, int prompt, int output) {
        int cached = r.nextInt(prompt / 2 + 1);
        int uncached = prompt - cached;
        int reasoning = r.nextInt(output / 4 + 1);
        String webSearch = r.nextInt(20) == 0 ? ",\"webSearchRequests\":" + (1 + r.nextInt(3)) : "";
        return switch (r.nextInt(5)) {
            case 0 -> "{\"usage\":{\"inputTokens\":" + uncached + ",\"cacheReadTokens\":" + cached
                    + ",\"cacheWriteTokens\":0,\"cacheWrite1hTokens\":0,\"outputTokens\":" + output
                    + ",\"images\":0}" + webSearch + "}";
            case 1 -> {
                int written = r.nextInt(uncached / 2 + 1);
                int oneHour = r.nextInt(written + 1);
                yield "{\"anthropicUsage\":{\"input_tokens\":" + (uncached - written)
                        + ",\"cache_creation_input_tokens\":" + written + ",\"cache_read_input_tokens\":" + cached
                        + ",\"output_tokens\":" + output + ",\"cache_creation\":{\"ephemeral_5m_input_tokens\":"
                        + (written - oneHour) + ",\"ephemeral_1h_input_tokens\":" + oneHour + "}}" + webSearch + "}";
            }
            case 2 -> "{\"openaiUsage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + output
                    + ",\"prompt_tokens_details\":{\"cached_tokens\":" + cached + "},\"completion_tokens_details\":"
                    + "{\"reasoning_tokens\":" + reasoning + "}}" + webSearch + "}";
            case 3 -> "{\"geminiUsage\":{\"promptTokenCount\":" + prompt + ",\"cachedContentTokenCount\":" + cached
                    + ",\"candidatesTokenCount\":" + (output - reasoning) + ",\"thoughtsTokenCount\":" + reasoning
                    + ",\"toolUsePromptTokenCount\":" + r.nextInt(100) + "}" + webSearch + "}";
            default -> "{\"openaiResponsesUsage\":{\"input_tokens\":" + prompt
                    + ",\"input_tokens_details\":{\"cached_tokens\":" + cached + ",\"cache_write_tokens\":0},"
                    + "\"output_tokens\":" + output + ",\"output_tokens_details\":{\"reasoning_tokens\":" + reasoning
                    + "}}" + webSearch + "}";
        };
    }
}
