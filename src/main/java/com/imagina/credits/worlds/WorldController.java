package com.imagina.credits.worlds;

import com.imagina.credits.ledger.Accounts;
import com.imagina.credits.system.ServiceClock;
import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/worlds")
class WorldController {
    private final Worlds worlds;
    private final Accounts accounts;
    private final ServiceClock clock;

    WorldController(Worlds worlds, Accounts accounts, ServiceClock clock) {
        this.worlds = worlds;
        this.accounts = accounts;
        this.clock = clock;
    }

    record PutWorld(@NotBlank @Size(max = 200) String ownerId, @NotBlank @Size(max = 500) String title,
            @NotNull Boolean published) {}

    record WorldSummary(String worldId, String title, boolean published) {}

    record WorldList(List<WorldSummary> worlds) {}

    /** The worlds an owner has ("My worlds"); a player sees only its own. */
    @GetMapping
    WorldList list(@RequestParam(defaultValue = "me") String ownerId) {
        String owner = Caller.current().requireAccountAccess(ownerId);
        return new WorldList(worlds.ownedBy(owner).stream()
                .map(w -> new WorldSummary(w.worldId(), w.title(), w.published())).toList());
    }

    /**
     * A world's title and whether it is published, for any signed-in caller: the pages name the worlds a
     * player played in (their titles are shown to every player in the game anyway); the owner is not told.
     */
    @GetMapping("/{worldId}")
    WorldSummary get(@PathVariable @Size(max = 200) String worldId) {
        Caller.current();
        World w = worlds.find(worldId).orElseThrow(() -> ApiException.notFound("unknown_world", "No world '" + worldId + "'."));
        return new WorldSummary(w.worldId(), w.title(), w.published());
    }

    @PutMapping("/{worldId}")
    World put(@PathVariable @Size(max = 200) String worldId, @Valid @RequestBody PutWorld body) {
        Caller.current().requireEngine();
        accounts.ensure(body.ownerId());
        return worlds.put(worldId, body.ownerId(), body.title(), body.published(), clock.now());
    }
}
