package com.imagina.credits.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every hand-worked case under {@code src/test/resources/usage/}: the settle body as the
 * engine sends it, the model's prices, and the expected normalized usage and millicredits worked
 * out by hand in the case's {@code why}.
 */
class GoldenUsageCasesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BigDecimal DEFAULT_CREDITS_PER_USD = new BigDecimal("1000");

    @TestFactory
    Stream<DynamicTest> everyGoldenCase() throws IOException, URISyntaxException {
        return loadCases().stream().map(c -> DynamicTest.dynamicTest(c.path("name").asText(), () -> check(c)));
    }

    /** Guards the runner itself: an empty folder or a lost provider would otherwise pass silently. */
    @Test
    void theGoldenSetCoversEveryFormAndBothSidesOfTheThreshold() throws IOException, URISyntaxException {
        List<JsonNode> cases = loadCases();
        Set<String> forms = new HashSet<>();
        boolean longContextApplied = false;
        boolean longContextNotApplied = false;
        for (JsonNode c : cases) {
            c.path("body").fieldNames().forEachRemaining(forms::add);
            assertThat(c.path("why").asText()).as("why of %s", c.path("name")).isNotBlank();
            longContextApplied |= c.path("expectedLongContext").asBoolean(false);
            longContextNotApplied |= c.path("prices").has("longContext") && !c.path("expectedLongContext").asBoolean();
        }
        assertThat(cases).hasSizeGreaterThanOrEqualTo(25);
        assertThat(forms).contains(UsageNormalizer.USAGE, UsageNormalizer.ANTHROPIC, UsageNormalizer.OPENAI_CHAT,
                UsageNormalizer.OPENAI_RESPONSES, UsageNormalizer.GEMINI, UsageNormalizer.WEB_SEARCH_REQUESTS);
        assertThat(longContextApplied).isTrue();
        assertThat(longContextNotApplied).isTrue();
    }

    private static void check(JsonNode c) throws IOException {
        Prices prices = JSON.treeToValue(c.path("prices"), Prices.class);
        PricesValidator.validate(prices);
        BigDecimal creditsPerUsd = c.has("creditsPerUsd")
                ? new BigDecimal(c.path("creditsPerUsd").asText())
                : DEFAULT_CREDITS_PER_USD;

        NormalizedUsage usage = UsageNormalizer.normalize(c.path("body"));
        assertThat(usage).isEqualTo(JSON.treeToValue(c.path("expectedUsage"), NormalizedUsage.class));

        CostBreakdown cost = CostCalculator.cost(usage, prices, creditsPerUsd);
        assertThat(cost.longContextApplied()).isEqualTo(c.path("expectedLongContext").asBoolean());
        assertThat(cost.millicredits()).as(c.path("why").asText()).isEqualTo(c.path("expectedMillicredits").asLong());
    }

    private static List<JsonNode> loadCases() throws IOException, URISyntaxException {
        Path folder = Path.of(GoldenUsageCasesTest.class.getResource("/usage").toURI());
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        List<JsonNode> cases = new ArrayList<>();
        for (Path file : files) {
            JSON.readTree(file.toFile()).path("cases").forEach(cases::add);
        }
        return cases;
    }
}
