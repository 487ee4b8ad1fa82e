package com.imagina.credits.turns;

import com.imagina.credits.estimates.CostEstimates;
import com.imagina.credits.estimates.Estimate;
import com.imagina.credits.pricing.Model;
import com.imagina.credits.system.BoundedMemo;
import com.imagina.credits.system.CreditsProperties;
import com.imagina.credits.system.ServiceClock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * The smallest credit hold a turn may have: {@code credits.holds.minimum-millicredits} (at least 1,000
 * by default) and, unless {@code credits.holds.minimum-from-estimate} is off, the calibrated low
 * estimate of the model in the world. A zero hold would let a turn run on an empty account or under a
 * cap of 0 and charge anything at settle; with a floor, such an account gets 402.
 *
 * <p>The calibrated low is a policy floor, not a balance: it is read from the estimates at most once a
 * minute per model, price version and world in this instance (two database reads saved per
 * authorization). A slightly stale floor changes no guarantee — the settle's bounded collection does
 * that — so the cache lives in memory on purpose.
 */
@Component
class HoldMinimum {
    private static final Duration REFRESH = Duration.ofMinutes(1);
    private static final int MAX_ENTRIES = 10_000;

    private record Key(String modelId, int priceVersion, String worldId) {}

    private record Floor(Estimate estimate, Instant readAt) {}

    private final CostEstimates estimates;
    private final ServiceClock clock;
    private final long configured;
    private final boolean fromEstimate;
    /** Worlds are many; the floor is cheap to read again: when full, it starts over. */
    private final BoundedMemo<Key, Floor> floors = new BoundedMemo<>(MAX_ENTRIES);

    HoldMinimum(CostEstimates estimates, ServiceClock clock, CreditsProperties properties) {
        this.estimates = estimates;
        this.clock = clock;
        this.configured = properties.holds().minimumMillicredits();
        this.fromEstimate = properties.holds().minimumFromEstimate();
    }

    long millicredits(Model model, String worldId) {
        if (!fromEstimate) {
            return configured;
        }
        return Math.max(configured, estimate(model, worldId).lowMillicredits());
    }

    /**
     * The model's estimate in the world as the picker shows it, read at most once a minute per model, price
     * version and world (the same cache as the floor): authorize stores it beside the turn's real cost.
     */
    Estimate estimate(Model model, String worldId) {
        Instant now = clock.now();
        Key key = new Key(model.id(), model.priceVersion(), worldId);
        Floor floor = floors.get(key);
        if (floor == null || floor.readAt().plus(REFRESH).isBefore(now) || floor.readAt().isAfter(now)) {
            floor = new Floor(estimates.forModel(model, worldId), now);
            floors.put(key, floor);
        }
        return floor.estimate();
    }
}
