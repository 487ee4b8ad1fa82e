package com.imagina.credits.payouts;

import com.imagina.credits.system.security.Caller;
import com.imagina.credits.worlds.World;
import com.imagina.credits.worlds.Worlds;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/worlds/{worldId}/earnings}: the world's owner (as {@code player}) or an admin. */
@RestController
class WorldEarningsController {
    private final Worlds worlds;
    private final WorldEarnings earnings;

    WorldEarningsController(Worlds worlds, WorldEarnings earnings) {
        this.worlds = worlds;
        this.earnings = earnings;
    }

    @GetMapping("/api/v1/worlds/{worldId}/earnings")
    WorldEarnings.Earnings get(@PathVariable String worldId) {
        Caller caller = Caller.current();
        World world = worlds.require(worldId);
        caller.requireOwnerOrAdmin(world.ownerId());
        return earnings.of(world);
    }
}
