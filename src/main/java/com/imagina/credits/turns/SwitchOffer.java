package com.imagina.credits.turns;

import com.imagina.credits.estimates.CostEstimates;
import com.imagina.credits.pricing.Model;
import com.imagina.credits.pricing.ModelCatalog;
import com.imagina.credits.turns.TurnResponses.SuggestedModel;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The model to offer a player who is out of credits on a credits-only model but still has free turns:
 * the default model when free turns apply to it, else the strongest eligible one (the one with the
 * highest output price, as the catalog has no other measure of strength), with its estimated cost.
 *
 * <p>Only a model of the same kind as the refused one is offered: a text model for a text turn, an
 * image model for an image turn. The engine cannot make a picture with a text model, so when no
 * eligible image model exists a refused image turn gets no offer (a plain 402), not a text model.
 */
@Component
class SwitchOffer {
    private final ModelCatalog catalog;
    private final CostEstimates estimates;

    SwitchOffer(ModelCatalog catalog, CostEstimates estimates) {
        this.catalog = catalog;
        this.estimates = estimates;
    }

    Optional<SuggestedModel> suggest(Model refused, String worldId) {
        List<Model> eligible = catalog.all().stream()
                .filter(m -> !m.creditsOnly() && makesImages(m) == makesImages(refused))
                .toList();
        Optional<Model> choice = eligible.stream().filter(Model::isDefault).findFirst()
                .or(() -> eligible.stream().max(Comparator
                        .comparing((Model m) -> m.prices().outputUsdPerMTok())
                        .thenComparing(m -> m.prices().inputUsdPerMTok())));
        return choice.map(m -> new SuggestedModel(m.id(), m.name(),
                estimates.forModel(m, worldId).firstTurnMillicredits()));
    }

    private static boolean makesImages(Model m) {
        return "image".equals(m.tier());
    }
}
