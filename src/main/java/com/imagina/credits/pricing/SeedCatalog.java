package com.imagina.credits.pricing;

import java.math.BigDecimal;
import java.util.List;

/**
 * The models the service starts with, at the providers' public list prices (USD per million
 * tokens) as of late 2025. OpenAI and Google do not charge for writing their automatic caches, so
 * their cache-write rate is the input rate: a cache write reported by a proxy then costs what
 * plain input would. Every cache lifetime is 300 s: Anthropic's default cache lives 5 minutes and
 * OpenAI's and Google's automatic caches are only promised for minutes of inactivity.
 */
public final class SeedCatalog {
    static final String DEFAULT_MODEL_ID = "claude-sonnet-4-5";

    private static final int CACHE_TTL_SECONDS = 300;

    /*
     * A typical world's turn: ~9k prompt tokens (system prompt, world, story so far, the player's
     * action) and ~450 tokens of story. Anthropic caches explicitly: a first turn writes the stable
     * prefix (5-minute write) and sends the new action uncached; a follow-up reads that prefix and
     * writes the part the last turn added.
     */
    private static final TokenProfile ANTHROPIC_FIRST = new TokenProfile(1_200, 0, 7_800, 0, 450, 0);
    private static final TokenProfile ANTHROPIC_FOLLOW_UP = new TokenProfile(400, 7_800, 1_000, 0, 450, 0);
    /*
     * OpenAI and Gemini 2.5 cache automatically (in 128-token steps at OpenAI) and without a write
     * charge; their models think by default, so output carries ~400 reasoning tokens on top of the story.
     */
    private static final TokenProfile REASONING_FIRST = new TokenProfile(9_000, 0, 0, 0, 850, 0);
    private static final TokenProfile REASONING_FOLLOW_UP = new TokenProfile(1_520, 7_680, 0, 0, 850, 0);
    /** A world-builder image: a short prompt, one image; the image is billed per image, not as output tokens. */
    private static final TokenProfile IMAGE = new TokenProfile(600, 0, 0, 0, 0, 1);

    private static final BigDecimal ANTHROPIC_WEB_SEARCH = usd("0.01"); // $10 per 1,000 searches
    private static final BigDecimal OPENAI_WEB_SEARCH = usd("0.01"); // $10 per 1,000 tool calls
    private static final BigDecimal GOOGLE_GROUNDING = usd("0.035"); // $35 per 1,000 grounded prompts

    private static final List<ModelSeed> MODELS = List.of(
            anthropic("claude-sonnet-4-5", "Claude Sonnet 4.5", "standard", false, true,
                    new Prices(usd("3"), usd("0.30"), usd("3.75"), usd("6"), usd("15"), null, ANTHROPIC_WEB_SEARCH,
                            new Prices.LongContextPrices(200_000, usd("6"), usd("0.60"), usd("7.50"), usd("12"),
                                    usd("22.50")))),
            anthropic("claude-haiku-4-5", "Claude Haiku 4.5", "economy", false, false,
                    new Prices(usd("1"), usd("0.10"), usd("1.25"), usd("2"), usd("5"), null, ANTHROPIC_WEB_SEARCH,
                            null)),
            anthropic("claude-opus-4-1", "Astral Lumen · Claude Opus 4.1", "astral-lumen", true, false,
                    new Prices(usd("15"), usd("1.50"), usd("18.75"), usd("30"), usd("75"), null,
                            ANTHROPIC_WEB_SEARCH, null)),
            reasoning("gpt-5", "GPT-5", "openai", "standard",
                    new Prices(usd("1.25"), usd("0.125"), usd("1.25"), null, usd("10"), null, OPENAI_WEB_SEARCH,
                            null)),
            reasoning("gpt-5-mini", "GPT-5 mini", "openai", "economy",
                    new Prices(usd("0.25"), usd("0.025"), usd("0.25"), null, usd("2"), null, OPENAI_WEB_SEARCH,
                            null)),
            reasoning("gemini-2-5-pro", "Gemini 2.5 Pro", "google", "standard",
                    new Prices(usd("1.25"), usd("0.125"), usd("1.25"), null, usd("10"), null, GOOGLE_GROUNDING,
                            new Prices.LongContextPrices(200_000, usd("2.50"), usd("0.25"), usd("2.50"), null,
                                    usd("15")))),
            reasoning("gemini-2-5-flash", "Gemini 2.5 Flash", "google", "economy",
                    new Prices(usd("0.30"), usd("0.03"), usd("0.30"), null, usd("2.50"), null, GOOGLE_GROUNDING,
                            null)),
            // Credits-only because free turns cover `play` only, and this model never plays a turn:
            // it must never be offered as the free-turn alternative.
            new ModelSeed("gemini-2-5-flash-image", "Gemini 2.5 Flash Image", "google", "image", true, false,
                    new Prices(usd("0.30"), usd("0.03"), usd("0.30"), null, usd("2.50"), usd("0.039"), null, null),
                    CACHE_TTL_SECONDS, IMAGE, IMAGE));

    private SeedCatalog() {}

    static List<ModelSeed> models() {
        return MODELS;
    }

    public static ModelSeed defaultModel() {
        return MODELS.stream().filter(ModelSeed::isDefault).findFirst().orElseThrow();
    }

    private static ModelSeed anthropic(String id, String name, String tier, boolean creditsOnly, boolean isDefault,
            Prices prices) {
        return new ModelSeed(id, name, "anthropic", tier, creditsOnly, isDefault, prices, CACHE_TTL_SECONDS,
                ANTHROPIC_FIRST, ANTHROPIC_FOLLOW_UP);
    }

    private static ModelSeed reasoning(String id, String name, String provider, String tier, Prices prices) {
        return new ModelSeed(id, name, provider, tier, false, false, prices, CACHE_TTL_SECONDS, REASONING_FIRST,
                REASONING_FOLLOW_UP);
    }

    private static BigDecimal usd(String amount) {
        return new BigDecimal(amount);
    }
}
