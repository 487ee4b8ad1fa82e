package com.imagina.credits.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.imagina.credits.pricing.CostCalculator;
import com.imagina.credits.pricing.Prices;
import com.imagina.credits.pricing.SeedCatalog;
import com.imagina.credits.pricing.UsageNormalizer;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * What pricing adds to a settle: normalizing an already-parsed body and computing its cost, for
 * each usage form. Not a test (no {@code Test} suffix), so the normal build never runs it. Run:
 * <pre>
 * ./mvnw -B -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-cp.txt
 * java -cp "target/test-classes:target/classes:$(cat target/test-cp.txt)" \
 *     com.imagina.credits.bench.CostCalculationBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CostCalculationBenchmark {
    private static final BigDecimal CREDITS_PER_USD = new BigDecimal("1000");

    /** A typical follow-up turn of the default model, in each form the engine may send. */
    private static final Map<String, String> BODIES = Map.of(
            "usage", """
                    {"usage":{"inputTokens":400,"cacheReadTokens":7800,"cacheWriteTokens":1000,"outputTokens":450}}""",
            "anthropicUsage", """
                    {"anthropicUsage":{"input_tokens":400,"cache_creation_input_tokens":1000,"cache_read_input_tokens":7800,
                     "cache_creation":{"ephemeral_5m_input_tokens":1000,"ephemeral_1h_input_tokens":0},"output_tokens":450,
                     "server_tool_use":{"web_search_requests":0},"service_tier":"standard"}}""",
            "openaiUsage", """
                    {"openaiUsage":{"prompt_tokens":9200,"completion_tokens":450,"total_tokens":9650,
                     "prompt_tokens_details":{"cached_tokens":7800,"cache_write_tokens":1000,"audio_tokens":0},
                     "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0}}}""",
            "openaiResponsesUsage", """
                    {"openaiResponsesUsage":{"input_tokens":9200,"input_tokens_details":{"cached_tokens":7800,"cache_write_tokens":1000},
                     "output_tokens":450,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":9650}}""",
            "geminiUsage", """
                    {"geminiUsage":{"promptTokenCount":9200,"cachedContentTokenCount":7800,"candidatesTokenCount":300,
                     "thoughtsTokenCount":150,"toolUsePromptTokenCount":0,"totalTokenCount":9650}}""");

    @Param({"usage", "anthropicUsage", "openaiUsage", "openaiResponsesUsage", "geminiUsage"})
    public String form;

    private JsonNode body;
    private Prices prices;

    @Setup
    public void parse() throws Exception {
        body = new ObjectMapper().readTree(BODIES.get(form));
        prices = SeedCatalog.defaultModel().prices();
    }

    @Benchmark
    public long normalizeAndCost() {
        return CostCalculator.cost(UsageNormalizer.normalize(body), prices, CREDITS_PER_USD).millicredits();
    }

    public static void main(String[] args) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(CostCalculationBenchmark.class.getSimpleName())
                .forks(1)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(3)
                .measurementTime(TimeValue.seconds(1))
                .build();
        new Runner(options).run();
    }
}
