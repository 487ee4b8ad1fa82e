package com.imagina.credits.proof;

import java.util.Arrays;

/**
 * Recorded latencies in nanoseconds, one instance per client thread (no locking while recording),
 * merged at the end. Percentiles are read from the sorted samples (nearest rank): HdrHistogram is not
 * on the classpath, and a few hundred thousand longs sort in milliseconds.
 */
final class Latencies {
    private long[] samples = new long[4096];
    private int size;

    void record(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    int count() {
        return size;
    }

    static Latencies merge(Iterable<Latencies> parts) {
        Latencies all = new Latencies();
        for (Latencies p : parts) {
            for (int i = 0; i < p.size; i++) all.record(p.samples[i]);
        }
        Arrays.sort(all.samples, 0, all.size);
        return all;
    }

    /** The p-th percentile (0 &lt; p ≤ 100) in milliseconds of a merged (sorted) instance; NaN when empty. */
    double percentileMillis(double p) {
        if (size == 0) return Double.NaN;
        int rank = (int) Math.ceil(p / 100.0 * size);
        return samples[Math.max(0, Math.min(size - 1, rank - 1))] / 1_000_000.0;
    }
}
