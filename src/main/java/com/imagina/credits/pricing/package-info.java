/**
 * What a turn costs. {@link com.imagina.credits.pricing.UsageNormalizer} maps a settle body in any
 * of the contract's usage forms (the contract's own {@code usage}, Anthropic Messages, OpenAI Chat
 * Completions, OpenAI Responses, Gemini {@code usageMetadata}) to one
 * {@link com.imagina.credits.pricing.NormalizedUsage}: {@code inputTokens} is uncached input only
 * (OpenAI and Gemini prompt counts include their cached part and cache writes, which are taken
 * out; Anthropic's do not), Anthropic cache writes are split into 5-minute and 1-hour writes (all
 * 5-minute without a split), reasoning tokens are already inside OpenAI's output counts, Gemini's
 * thoughts are added to its candidates and its tool-use prompt to its input. A top-level
 * {@code webSearchRequests} replaces Anthropic's own count rather than adding to it. Usage that
 * contradicts itself is refused with the offending fields named, never clamped.
 *
 * <p>{@link com.imagina.credits.pricing.CostCalculator} applies the contract's formula in exact
 * {@code BigDecimal} (never a binary float) and rounds once, half-up, to a whole millicredit at the
 * very end. Long context: when a model has a long-context tier and the request's whole prompt
 * (uncached input + cache reads + both cache writes) is strictly above the tier's threshold,
 * every token rate of the request comes from the tier, not just the tokens above the threshold; a
 * prompt exactly at the threshold is charged base rates.
 *
 * <p>{@link com.imagina.credits.pricing.PricesValidator} keeps unchargeable prices out of the
 * catalog, and {@link com.imagina.credits.pricing.SeedCatalog} lists the models the service starts with.
 */
package com.imagina.credits.pricing;
