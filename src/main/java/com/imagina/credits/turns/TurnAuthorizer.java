package com.imagina.credits.turns;

import com.imagina.credits.estimates.CostEstimates;
import com.imagina.credits.freeturns.FreeTurns;
import com.imagina.credits.ledger.Accounts;
import com.imagina.credits.ledger.Accounts.AccountRow;
import com.imagina.credits.ledger.Idempotency;
import com.imagina.credits.pricing.Model;
import com.imagina.credits.pricing.ModelCatalog;
import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.CreditsProperties;
import com.imagina.credits.system.JsonText;
import com.imagina.credits.system.ServiceClock;
import com.imagina.credits.turns.TurnResponses.Authorized;
import com.imagina.credits.worlds.World;
import com.imagina.credits.worlds.Worlds;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code POST /api/v1/turns}. Checks, in this order: the request's shape (400), the model (404
 * {@code unknown_model}), the world (404 {@code unknown_world}), a replay of the same turn id (the
 * first answer, or 409 {@code idempotency_conflict}); then, in one transaction: expire the account's
 * dead holds, take a free turn if the purpose and model allow and one is left, else hold credits with
 * one conditional update that refuses to pass the available balance or the daily cap (402).
 */
@Service
public class TurnAuthorizer {
    private final TurnStore store;
    private final Accounts accounts;
    private final FreeTurns freeTurns;
    private final HoldExpiry holdExpiry;
    private final CreditHolds creditHolds;
    private final ModelCatalog catalog;
    private final Worlds worlds;
    private final CostEstimates estimates;
    private final Idempotency idempotency;
    private final ServiceClock clock;
    private final TransactionTemplate tx;
    private final JsonText json;
    private final CreditsProperties properties;

    TurnAuthorizer(TurnStore store, Accounts accounts, FreeTurns freeTurns, HoldExpiry holdExpiry,
            CreditHolds creditHolds, ModelCatalog catalog, Worlds worlds, CostEstimates estimates,
            Idempotency idempotency, ServiceClock clock, TransactionTemplate tx, JsonText json,
            CreditsProperties properties) {
        this.store = store;
        this.accounts = accounts;
        this.freeTurns = freeTurns;
        this.holdExpiry = holdExpiry;
        this.creditHolds = creditHolds;
        this.catalog = catalog;
        this.worlds = worlds;
        this.estimates = estimates;
        this.idempotency = idempotency;
        this.clock = clock;
        this.tx = tx;
        this.json = json;
        this.properties = properties;
    }

    /** The first answer for this turn id, fresh or replayed (both are 201). */
    public Authorized authorize(AuthorizeRequest request) {
        Purpose purpose = request.purposeOrDefault();
        if (purpose == Purpose.PLAY && (request.journeyId() == null || request.journeyId().isBlank())) {
            throw ApiException.badRequest("journeyId is required for purpose 'play'.");
        }
        Model model = catalog.require(request.modelId());
        World world = worlds.require(request.worldId());
        String hash = idempotency.hash(request.canonical());
        Optional<Authorized> replay = replay(request.turnId(), hash);
        if (replay.isPresent()) {
            return replay.get();
        }
        try {
            return tx.execute(status -> authorizeOnce(request, purpose, model, world, hash));
        } catch (ConcurrentDuplicate e) {
            // A concurrent call with the same id committed first; answer as it did.
            return replay(request.turnId(), hash).orElseThrow();
        }
    }

    private Optional<Authorized> replay(String turnId, String hash) {
        return store.find(turnId).map(existing -> {
            if (!existing.requestHash().equals(hash)) {
                throw ApiException.conflict("idempotency_conflict",
                        "Turn '" + turnId + "' was already authorized with a different request.");
            }
            return json.read(existing.authorizeResponse(), Authorized.class);
        });
    }

    private Authorized authorizeOnce(AuthorizeRequest request, Purpose purpose, Model model, World world,
            String hash) {
        Instant now = clock.now();
        LocalDate today = ServiceClock.utcDay(now);
        String accountId = request.accountId();
        accounts.ensure(accountId);
        holdExpiry.expireOverdue(accountId, now);

        boolean freeTurnAllowed = purpose == Purpose.PLAY && !model.creditsOnly();
        boolean free = freeTurnAllowed && freeTurns.tryReserve(accountId, today);
        long hold = 0;
        AccountRow account;
        if (free) {
            account = accounts.find(accountId).orElseThrow();
        } else {
            hold = holdFor(request, model, world);
            account = creditHolds.hold(accountId, hold, today, purpose, model, world.worldId());
        }
        // After this point the authorization succeeds: only the turn row remains to be written. The
        // account row stays locked until commit, so nothing but that insert happens in between.
        Instant expiresAt = now.plus(properties.holds().ttl());
        Authorized answer = new Authorized(request.turnId(), TurnStatus.AUTHORIZED.wireName(),
                free ? Turn.FREE_TURN : Turn.CREDITS, hold, account.availableMillicredits(),
                freeTurns.remaining(account, today), expiresAt);
        boolean inserted = store.insert(new TurnStore.NewTurn(request.turnId(), accountId, request.journeyId(),
                world.worldId(), model.id(), purpose, answer.fundedBy(), hold, free ? today : null, world.ownerId(),
                world.published(), request.maxOutputTokens(), request.expectedInputTokens(),
                request.expectedImages(), hash, json.write(answer), now, expiresAt));
        if (!inserted) {
            // The same turn id won a race against us: undo our reservation and replay its answer.
            throw new ConcurrentDuplicate();
        }
        return answer;
    }

    private long holdFor(AuthorizeRequest request, Model model, World world) {
        if (request.expectedInputTokens() == null || request.maxOutputTokens() == null) {
            return estimates.forModel(model, world.worldId()).highMillicredits()
                    + imagesHold(request, model);
        }
        return estimates.holdMillicredits(model, request.expectedInputTokens(), request.maxOutputTokens(),
                request.expectedImages() == null ? 0 : request.expectedImages());
    }

    private long imagesHold(AuthorizeRequest request, Model model) {
        long images = request.expectedImages() == null ? 0 : request.expectedImages();
        return images == 0 ? 0 : estimates.holdMillicredits(model, 0, 0, images);
    }

    /** Thrown inside the transaction to roll it back when another call took the same turn id first. */
    static final class ConcurrentDuplicate extends RuntimeException {
        ConcurrentDuplicate() {
            super(null, null, false, false);
        }
    }
}
