package com.imagina.credits.estimates;

import com.imagina.credits.estimates.EstimateProfiles.Snapshot;
import com.imagina.credits.pricing.CostCalculator;
import com.imagina.credits.pricing.Model;
import com.imagina.credits.pricing.ModelCatalog;
import com.imagina.credits.pricing.PriorProfile;
import com.imagina.credits.pricing.Prices;
import com.imagina.credits.pricing.TokenProfile;
import com.imagina.credits.system.CreditsProperties;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Per-turn cost estimates. The calibrated token profiles are priced at the model's *current* prices
 * every time, so a price change moves the estimates at once. Basis, best first: {@code world} (this
 * world has at least {@code credits.estimates.min-samples} real turns on the model), {@code model} (the
 * model's turns in all worlds, scaled by how long this world's prompts are compared with all worlds'),
 * {@code prior} (the catalog's typical turn, scaled the same way). A new world needs nothing special.
 */
@Service
public class CostEstimates {
    private final EstimateProfiles profiles;
    private final ModelCatalog catalog;
    private final BigDecimal creditsPerUsd;
    private final int minSamples;

    CostEstimates(EstimateProfiles profiles, ModelCatalog catalog, CreditsProperties properties,
            @Value("${credits.estimates.min-samples:20}") int minSamples) {
        this.profiles = profiles;
        this.catalog = catalog;
        this.creditsPerUsd = properties.pricing().creditsPerUsd();
        this.minSamples = minSamples;
    }

    public Estimate forModel(Model model, String worldId) {
        return forModels(List.of(model), worldId).get(model.id());
    }

    Map<String, Estimate> forModels(List<Model> models, String worldId) {
        Snapshot snapshot = profiles.load(worldId);
        Map<String, PriorProfile> priors = catalog.priors();
        BigDecimal contextFactor = contextFactor(snapshot);
        Map<String, Estimate> out = new LinkedHashMap<>();
        for (Model model : models) {
            out.put(model.id(), estimate(model.id(), model.prices(), snapshot,
                    priors.getOrDefault(model.id(), PriorProfile.GENERIC), contextFactor, worldId != null, minSamples));
        }
        return out;
    }

    /** The hold for a request whose sizes are known: the contract's formula on the expected usage. */
    public long holdMillicredits(Model model, long expectedInputTokens, long maxOutputTokens, long images) {
        return CostCalculator.holdMillicredits(model.prices(), expectedInputTokens, maxOutputTokens, images,
                creditsPerUsd);
    }

    int minSamples() {
        return minSamples;
    }

    /** The estimate of a model at {@code prices} from a snapshot of profiles in a world (the backtest's). */
    Estimate estimate(String modelId, Prices prices, Snapshot snapshot, int minSamples) {
        return estimate(modelId, prices, snapshot, catalog.priors().getOrDefault(modelId, PriorProfile.GENERIC),
                contextFactor(snapshot), true, minSamples);
    }

    private Estimate estimate(String modelId, Prices prices, Snapshot s, PriorProfile prior, BigDecimal factor,
            boolean hasWorld, int minSamples) {
        Optional<ProfileStats> worldAll = hasWorld ? s.get(modelId, s.worldId(), "all") : Optional.empty();
        Optional<ProfileStats> modelAll = s.get(modelId, EstimateProfiles.ALL_WORLDS, "all");
        if (worldAll.isPresent() && worldAll.get().samples() >= minSamples) {
            TokenProfile first = phase(s, modelId, s.worldId(), "first", BigDecimal.ONE)
                    .or(() -> phase(s, modelId, EstimateProfiles.ALL_WORLDS, "first", factor))
                    .orElse(ProfileStats.scale(prior.firstTurn(), factor));
            TokenProfile follow = phase(s, modelId, s.worldId(), "follow", BigDecimal.ONE)
                    .or(() -> phase(s, modelId, EstimateProfiles.ALL_WORLDS, "follow", factor))
                    .orElse(ProfileStats.scale(prior.followUp(), factor));
            return priced(prices, first, follow, worldAll.get(), "world");
        }
        if (modelAll.isPresent() && modelAll.get().samples() >= minSamples) {
            TokenProfile first = phase(s, modelId, EstimateProfiles.ALL_WORLDS, "first", factor)
                    .orElse(ProfileStats.scale(prior.firstTurn(), factor));
            TokenProfile follow = phase(s, modelId, EstimateProfiles.ALL_WORLDS, "follow", factor)
                    .orElse(ProfileStats.scale(prior.followUp(), factor));
            return priced(prices, first, follow, modelAll.get().scaled(factor), "model");
        }
        TokenProfile first = ProfileStats.scale(prior.firstTurn(), factor);
        TokenProfile follow = ProfileStats.scale(prior.followUp(), factor);
        long firstCost = cost(first, prices);
        long followCost = cost(follow, prices);
        // The prior has no spread of its own: three quarters of the cheaper phase to one and a half
        // times the dearer, wide enough to serve as a hold when the engine gives no sizes.
        long low = Math.min(firstCost, followCost) * 3 / 4;
        long high = (Math.max(firstCost, followCost) * 3 + 1) / 2;
        return new Estimate(firstCost, followCost, low, high, 0, "prior");
    }

    private Optional<TokenProfile> phase(Snapshot s, String modelId, String world, String phase, BigDecimal factor) {
        return s.get(modelId, world, phase).filter(p -> p.samples() > 0).map(p -> ProfileStats.scale(p.p50(), factor));
    }

    private Estimate priced(Prices prices, TokenProfile first, TokenProfile follow, ProfileStats all, String basis) {
        long low = cost(all.p10(), prices);
        long high = cost(all.p90(), prices);
        return new Estimate(cost(first, prices), cost(follow, prices), Math.min(low, high), Math.max(low, high),
                all.samples(), basis);
    }

    private long cost(TokenProfile profile, Prices prices) {
        return CostCalculator.cost(profile.toUsage(), prices, creditsPerUsd).millicredits();
    }

    /** This world's median prompt over all worlds' median; 1 until both are known. */
    private static BigDecimal contextFactor(Snapshot s) {
        Optional<Long> world = s.worldContext();
        Optional<Long> all = s.allWorldsContext();
        if (world.isEmpty() || all.isEmpty() || all.get() == 0 || s.worldId().isEmpty()) {
            return BigDecimal.ONE;
        }
        return BigDecimal.valueOf(world.get()).divide(BigDecimal.valueOf(all.get()), new MathContext(6,
                RoundingMode.HALF_UP));
    }
}
