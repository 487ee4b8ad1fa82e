package com.imagina.credits.accounts;

import com.imagina.credits.estimates.CostEstimates;
import com.imagina.credits.estimates.Estimate;
import com.imagina.credits.estimates.JourneyTurns;
import com.imagina.credits.ledger.FreeTurns;
import com.imagina.credits.ledger.Accounts;
import com.imagina.credits.ledger.Accounts.AccountRow;
import com.imagina.credits.pricing.Model;
import com.imagina.credits.pricing.ModelCatalog;
import com.imagina.credits.system.ServiceClock;
import com.imagina.credits.system.security.Caller;
import com.imagina.credits.turns.HoldExpiry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The journey cost panel: recent turns, and how many more paid turns the available balance buys on
 * the journey's current model in its world (warm or cold as the cache stands now). Free turns are
 * counted separately. A journey with no turn yet answers for the caller on the default model.
 */
@RestController
class JourneyCostsController {
    private static final int RECENT_TURNS = 20;

    private final JourneyTurns journeys;
    private final CostEstimates estimates;
    private final ModelCatalog catalog;
    private final Accounts accounts;
    private final FreeTurns freeTurns;
    private final HoldExpiry holdExpiry;
    private final ServiceClock clock;

    JourneyCostsController(JourneyTurns journeys, CostEstimates estimates, ModelCatalog catalog, Accounts accounts,
            FreeTurns freeTurns, HoldExpiry holdExpiry, ServiceClock clock) {
        this.journeys = journeys;
        this.estimates = estimates;
        this.catalog = catalog;
        this.accounts = accounts;
        this.freeTurns = freeTurns;
        this.holdExpiry = holdExpiry;
        this.clock = clock;
    }

    record RecentTurnView(String turnId, String modelId, String fundedBy, long costMillicredits,
            long chargedMillicredits, long inputTokens, long cacheReadTokens, long outputTokens, Instant settledAt) {}

    record PanelEstimate(long perTurnMillicredits, long turnsRemaining, int freeTurnsRemaining, boolean cacheWarm,
            String basis) {}

    record JourneyCosts(String journeyId, String accountId, String worldId, String currentModelId,
            List<RecentTurnView> recentTurns, PanelEstimate estimate, long availableMillicredits) {}

    @GetMapping("/api/v1/journeys/{journeyId}/costs")
    JourneyCosts costs(@PathVariable String journeyId) {
        Caller caller = Caller.current();
        Optional<String[]> ownerAndWorld = journeys.ownerAndWorld(journeyId);
        String accountId = caller.requireAccountAccess(ownerAndWorld.map(ow -> ow[0]).orElse(caller.accountId()));
        String worldId = ownerAndWorld.map(ow -> ow[1]).orElse(null);
        List<JourneyTurns.RecentTurn> recent = journeys.recent(journeyId, RECENT_TURNS);
        Optional<JourneyTurns.RecentTurn> last = recent.stream().findFirst();
        Model model = last.flatMap(t -> catalog.find(t.modelId()))
                // The catalog lists the default first; the catalog keeps one (ModelCatalog.upsert).
                .or(() -> catalog.all().stream().findFirst())
                .orElseThrow();
        accounts.ensure(accountId);
        holdExpiry.expireOverdueNow(accountId);
        AccountRow account = accounts.find(accountId).orElseThrow();
        Instant now = clock.now();
        boolean warm = JourneyTurns.cacheWarm(last, model.id(), model.cacheTtlSeconds(), now);
        Estimate estimate = estimates.forModel(model, worldId);
        long perTurn = estimate.headline(warm);
        long available = Math.max(0, account.availableMillicredits());
        long remaining = perTurn <= 0 ? 0 : available / perTurn;
        return new JourneyCosts(journeyId, accountId, worldId, model.id(),
                recent.stream().map(t -> new RecentTurnView(t.turnId(), t.modelId(), t.fundedBy(), t.costMillicredits(),
                        t.chargedMillicredits(), t.inputTokens(), t.cacheReadTokens(), t.outputTokens(), t.settledAt()))
                        .toList(),
                new PanelEstimate(perTurn, remaining, freeTurns.remaining(account, ServiceClock.utcDay(now)), warm,
                        estimate.basis()),
                account.availableMillicredits());
    }
}
