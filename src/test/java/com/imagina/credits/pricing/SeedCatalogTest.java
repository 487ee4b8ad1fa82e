package com.imagina.credits.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeedCatalogTest {
    private static final BigDecimal CREDITS_PER_USD = new BigDecimal("1000");

    @Test
    void exactlyOneDefaultAndItIsClaudeSonnet45() {
        List<ModelSeed> defaults = SeedCatalog.models().stream().filter(ModelSeed::isDefault).toList();
        assertThat(defaults).extracting(ModelSeed::id).containsExactly("claude-sonnet-4-5");
        assertThat(SeedCatalog.defaultModel().id()).isEqualTo(SeedCatalog.DEFAULT_MODEL_ID);
    }

    /** The FAQ promises players that the default model's typical turn costs 20 to 45 credits. */
    @Test
    void theDefaultModelsTypicalFirstTurnCostsBetween20And45Credits() {
        ModelSeed sonnet = SeedCatalog.defaultModel();
        long millicredits = CostCalculator.cost(sonnet.firstTurn().toUsage(), sonnet.prices(), CREDITS_PER_USD)
                .millicredits();
        assertThat(millicredits).isBetween(20_000L, 45_000L);
    }

    @Test
    void theDefaultModelHasSonnet45ListPrices() {
        Prices p = SeedCatalog.defaultModel().prices();
        assertThat(List.of(p.inputUsdPerMTok(), p.cacheWriteUsdPerMTok(), p.cacheWrite1hUsdPerMTok(),
                p.cacheReadUsdPerMTok(), p.outputUsdPerMTok()))
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("3"), new BigDecimal("3.75"), new BigDecimal("6"),
                        new BigDecimal("0.30"), new BigDecimal("15"));
        assertThat(p.longContext().aboveInputTokens()).isEqualTo(200_000);
        assertThat(p.longContext().outputUsdPerMTok()).isEqualByComparingTo("22.50");
    }

    @Test
    void idsAreUniqueLowerCaseWithDashesAndTiersAreKnown() {
        List<ModelSeed> models = SeedCatalog.models();
        assertThat(models).extracting(ModelSeed::id).doesNotHaveDuplicates()
                .allMatch(id -> id.matches("[a-z0-9]+(-[a-z0-9]+)*"));
        assertThat(models).extracting(ModelSeed::tier)
                .allMatch(Set.of("economy", "standard", "astral-lumen", "image")::contains)
                .contains("economy", "standard", "astral-lumen", "image");
        assertThat(models).allMatch(m -> m.cacheTtlSeconds() == 300);
    }

    @Test
    void astralLumenIsCreditsOnlyAndFreeTurnModelsExist() {
        assertThat(SeedCatalog.models()).filteredOn(m -> m.tier().equals("astral-lumen"))
                .isNotEmpty()
                .allMatch(ModelSeed::creditsOnly)
                .allMatch(m -> m.name().startsWith("Astral Lumen"));
        assertThat(SeedCatalog.models()).filteredOn(m -> !m.creditsOnly()).extracting(ModelSeed::tier)
                .contains("economy", "standard");
        assertThat(SeedCatalog.defaultModel().creditsOnly()).isFalse();
    }

    @Test
    void aWarmCacheMakesEveryTextModelsFollowUpCheaperThanItsFirstTurn() {
        SeedCatalog.models().stream().filter(m -> !m.tier().equals("image")).forEach(m -> {
            long first = CostCalculator.cost(m.firstTurn().toUsage(), m.prices(), CREDITS_PER_USD).millicredits();
            long followUp = CostCalculator.cost(m.followUp().toUsage(), m.prices(), CREDITS_PER_USD).millicredits();
            assertThat(followUp).as(m.id()).isLessThan(first);
        });
    }

    @Test
    void theImageModelChargesPerImage() {
        assertThat(SeedCatalog.models()).filteredOn(m -> m.tier().equals("image"))
                .singleElement()
                .satisfies(m -> {
                    assertThat(m.prices().usdPerImage()).isEqualByComparingTo("0.039");
                    assertThat(m.firstTurn().images()).isEqualTo(1);
                });
    }
}
