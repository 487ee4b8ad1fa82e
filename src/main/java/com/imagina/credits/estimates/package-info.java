/**
 * Cost estimates that learn. {@link com.imagina.credits.estimates.Calibration} aggregates settled play turns
 * in SQL into token profiles (median, p10, p90) per model and world and per model in all worlds, split into
 * first turns (cold provider cache) and follow-ups (same model within its cache TTL); it runs on a schedule
 * and on demand, incrementally and once across instances (advisory lock).
 * {@link com.imagina.credits.estimates.CostEstimates} prices those profiles at current prices (basis
 * {@code world}, else {@code model} scaled to the world's prompt size, else the catalog's {@code prior}).
 * The picker lives here too (the journey cost panel, an account view, is in {@code accounts}), and
 * {@link com.imagina.credits.estimates.EstimateAccuracy}: the estimate each play turn was shown at authorize,
 * measured against its real cost (median absolute percentage error, share within the low–high band), with a
 * day-by-day backtest of the calibration.
 */
package com.imagina.credits.estimates;
