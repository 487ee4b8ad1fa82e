package com.imagina.credits.turns;

import com.imagina.credits.pricing.Model;
import com.imagina.credits.pricing.ModelCatalog;
import com.imagina.credits.pricing.Prices;
import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.JsonText;
import com.imagina.credits.system.security.Caller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/turns/{turnId}/explanation} for the turn's own player, the engine and admins (another
 * player: 403 {@code forbidden}; unknown: 404 {@code unknown_turn}). Only a settled turn has a cost to
 * explain: an open, voided or expired one answers 409 {@code turn_not_settled} (as the admin cost view does), naming its status — an open
 * turn's hold is not a cost, and what it holds is already in the turn itself ({@code GET /api/v1/turns/{id}}).
 */
@RestController
class TurnExplanationController {
    private final TurnStore store;
    private final ModelCatalog catalog;
    private final JsonText json;

    TurnExplanationController(TurnStore store, ModelCatalog catalog, JsonText json) {
        this.store = store;
        this.catalog = catalog;
        this.json = json;
    }

    @GetMapping("/api/v1/turns/{turnId}/explanation")
    TurnExplanation explain(@PathVariable String turnId) {
        Caller caller = Caller.current();
        TurnView turn = store.view(turnId).orElseThrow(() -> Turn.unknown(turnId));
        caller.requireAccountAccess(turn.accountId());
        if (turn.costMillicredits() == null || turn.normalizedUsage() == null) {
            throw ApiException.conflict("turn_not_settled", "Turn '" + turnId + "' is " + turn.status()
                    + ", not settled: it has no cost to explain yet.");
        }
        Prices prices = json.read(turn.prices(), Prices.class);
        String name = catalog.find(turn.modelId()).map(Model::name).orElse(turn.modelId());
        return TurnExplanation.of(turn, prices, name);
    }
}
