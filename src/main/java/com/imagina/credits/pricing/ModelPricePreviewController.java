package com.imagina.credits.pricing;

import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.CreditsProperties;
import com.imagina.credits.system.JsonText;
import com.imagina.credits.system.security.Caller;
import java.math.BigDecimal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/admin/models/{modelId}/typical-turn?prices=<prices as JSON>}: what the model's typical
 * first and follow-up turn (its catalog prior) cost at its current prices and at the proposed ones, so the
 * console can show a price change per typical turn before it is confirmed. Computes only; changes nothing.
 * Without {@code prices} the proposed prices are the current ones.
 */
@RestController
class ModelPricePreviewController {
    private final ModelCatalog catalog;
    private final JsonText json;
    private final BigDecimal creditsPerUsd;

    ModelPricePreviewController(ModelCatalog catalog, JsonText json, CreditsProperties properties) {
        this.catalog = catalog;
        this.json = json;
        this.creditsPerUsd = properties.pricing().creditsPerUsd();
    }

    record TurnCosts(long firstTurnMillicredits, long followUpMillicredits) {}

    record Preview(String modelId, PriorProfile profile, Prices currentPrices, Prices proposedPrices,
            TurnCosts current, TurnCosts proposed, long firstTurnChangeMillicredits, long followUpChangeMillicredits) {}

    @GetMapping("/api/v1/admin/models/{modelId}/typical-turn")
    Preview preview(@PathVariable String modelId, @RequestParam(required = false) String prices) {
        Caller.current().requireAdmin();
        Model model = catalog.find(modelId).orElseThrow(() ->
                ApiException.notFound("unknown_model", "No model '" + modelId + "'."));
        Prices proposed = model.prices();
        if (prices != null && !prices.isBlank()) {
            try {
                proposed = json.read(prices, Prices.class);
            } catch (RuntimeException e) {
                throw ApiException.badRequest("prices must be the model's prices as JSON, as PUT takes them.");
            }
            if (proposed == null) throw ApiException.badRequest("prices must be a JSON object.");
            PricesValidator.validate(proposed);
        }
        PriorProfile profile = catalog.priors().getOrDefault(modelId, PriorProfile.GENERIC);
        TurnCosts now = costs(profile, model.prices());
        TurnCosts then = costs(profile, proposed);
        return new Preview(modelId, profile, model.prices(), proposed, now, then,
                then.firstTurnMillicredits() - now.firstTurnMillicredits(),
                then.followUpMillicredits() - now.followUpMillicredits());
    }

    private TurnCosts costs(PriorProfile profile, Prices prices) {
        return new TurnCosts(CostCalculator.cost(profile.firstTurn().toUsage(), prices, creditsPerUsd).millicredits(),
                CostCalculator.cost(profile.followUp().toUsage(), prices, creditsPerUsd).millicredits());
    }
}
