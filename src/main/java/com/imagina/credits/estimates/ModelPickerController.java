package com.imagina.credits.estimates;

import com.imagina.credits.pricing.Model;
import com.imagina.credits.pricing.ModelCatalog;
import com.imagina.credits.pricing.Prices;
import com.imagina.credits.system.ServiceClock;
import com.imagina.credits.system.security.Caller;
import com.imagina.credits.worlds.Worlds;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/models}: the picker, with each model's estimate in the chosen world and journey. */
@RestController
class ModelPickerController {
    private final ModelCatalog catalog;
    private final CostEstimates estimates;
    private final JourneyTurns journeys;
    private final Worlds worlds;
    private final ServiceClock clock;
    private final EstimateAccuracy accuracy;

    ModelPickerController(ModelCatalog catalog, CostEstimates estimates, JourneyTurns journeys, Worlds worlds,
            ServiceClock clock, EstimateAccuracy accuracy) {
        this.accuracy = accuracy;
        this.catalog = catalog;
        this.estimates = estimates;
        this.journeys = journeys;
        this.worlds = worlds;
        this.clock = clock;
    }

    record PickerModel(String id, String name, String provider, String tier, boolean creditsOnly, boolean isDefault,
            Prices prices, int cacheTtlSeconds, PickerEstimate estimate, boolean cacheWarm, int priceVersion) {}

    /**
     * The estimate, and once the model has settled turns with a stored estimate how close those came
     * ({@link EstimateAccuracy}: the model's last {@code credits.estimates.accuracy-window} such turns, all worlds).
     */
    record PickerEstimate(long firstTurnMillicredits, long followUpMillicredits, long lowMillicredits,
            long highMillicredits, int samples, String basis, Accuracy accuracy) {
        static PickerEstimate of(Estimate e, Accuracy accuracy) {
            return new PickerEstimate(e.firstTurnMillicredits(), e.followUpMillicredits(), e.lowMillicredits(),
                    e.highMillicredits(), e.samples(), e.basis(), accuracy);
        }
    }

    record Picker(List<PickerModel> models) {}

    @GetMapping("/api/v1/models")
    Picker models(@RequestParam(required = false) String accountId, @RequestParam(required = false) String worldId,
            @RequestParam(required = false) String journeyId) {
        Caller caller = Caller.current();
        if (accountId != null) {
            caller.requireAccountAccess(accountId);
        }
        if (worldId != null) {
            worlds.require(worldId);
        }
        Optional<JourneyTurns.RecentTurn> last = Optional.empty();
        if (journeyId != null) {
            journeys.ownerAndWorld(journeyId).ifPresent(ow -> caller.requireAccountAccess(ow[0]));
            last = journeys.last(journeyId);
        }
        List<Model> models = catalog.all();
        Map<String, Estimate> byModel = estimates.forModels(models, worldId);
        Map<String, Accuracy> measured = accuracy.byModel(accuracy.window());
        Instant now = clock.now();
        Optional<JourneyTurns.RecentTurn> lastTurn = last;
        return new Picker(models.stream().map(m -> new PickerModel(m.id(), m.name(), m.provider(), m.tier(),
                m.creditsOnly(), m.isDefault(), m.prices(), m.cacheTtlSeconds(),
                PickerEstimate.of(byModel.get(m.id()), measured.get(m.id())),
                JourneyTurns.cacheWarm(lastTurn, m.id(), m.cacheTtlSeconds(), now), m.priceVersion())).toList());
    }
}
