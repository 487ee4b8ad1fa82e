package com.imagina.credits.turns;

import com.imagina.credits.estimates.CostEstimates;
import com.imagina.credits.estimates.Estimate;
import com.imagina.credits.ledger.FreeTurns;
import com.imagina.credits.ledger.Accounts;
import com.imagina.credits.ledger.Grants;
import com.imagina.credits.ledger.Idempotency;
import com.imagina.credits.pricing.Model;
import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.CreditsProperties;
import com.imagina.credits.system.JsonText;
import com.imagina.credits.system.ServiceClock;
import com.imagina.credits.system.db.GroupCommit;
import com.imagina.credits.worlds.World;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code POST /api/v1/turns}. Checks, in this order: the request's shape (400), the model (404
 * {@code unknown_model}), the world (404 {@code unknown_world}), a replay of the same turn id (the
 * first answer, or 409 {@code idempotency_conflict}), the journey belonging to another account (409
 * {@code journey_conflict}) — all read by one query; then: take a free turn
 * if the purpose and model allow and one is left, else hold credits with one conditional update that
 * refuses to pass the available balance or the daily cap (402), each in the same statement as the
 * turn row's insert. Usually that statement is the whole write, committed on its own; an account seen
 * for the first time, or one with holds or promotional grants overdue, or a journey's first turn, gets
 * one transaction that creates it, expires them or claims the journey first.
 */
@Service
class TurnAuthorizer {
    private final TurnStore store;
    private final Accounts accounts;
    private final FreeTurns freeTurns;
    private final HoldExpiry holdExpiry;
    private final CreditHolds creditHolds;
    private final CostEstimates estimates;
    private final Idempotency idempotency;
    private final ServiceClock clock;
    private final TransactionTemplate tx;
    private final JsonText json;
    private final CreditsProperties properties;
    private final Grants grants;
    private final HoldMinimum holdMinimum;
    private final TurnJourneys journeys;

    TurnAuthorizer(TurnStore store, Accounts accounts, FreeTurns freeTurns, HoldExpiry holdExpiry,
            CreditHolds creditHolds, CostEstimates estimates,
            Idempotency idempotency, ServiceClock clock, TransactionTemplate tx, JsonText json,
            CreditsProperties properties, Grants grants, HoldMinimum holdMinimum, TurnJourneys journeys) {
        this.grants = grants;
        this.holdMinimum = holdMinimum;
        this.journeys = journeys;
        this.store = store;
        this.accounts = accounts;
        this.freeTurns = freeTurns;
        this.holdExpiry = holdExpiry;
        this.creditHolds = creditHolds;
        this.estimates = estimates;
        this.idempotency = idempotency;
        this.clock = clock;
        this.tx = GroupCommit.nested(tx);
        this.json = json;
        this.properties = properties;
    }

    /**
     * The first answer for this turn id, fresh or replayed (both are 201): the {@code TurnResponses.Authorized} that
     * the database stored with the turn, sent as stored ({@link StoredAnswer}).
     */
    StoredAnswer authorize(AuthorizeRequest request) {
        Purpose purpose = request.purposeOrDefault();
        if (purpose == Purpose.PLAY && (request.journeyId() == null || request.journeyId().isBlank())) {
            throw ApiException.badRequest("journeyId is required for purpose 'play'.");
        }
        Instant now = clock.now();
        TurnStore.AuthorizeLookup found = store.lookup(request.turnId(), request.accountId(), request.modelId(),
                request.worldId(), request.journeyId(), now);
        Model model = found.model().orElseThrow(() ->
                ApiException.notFound("unknown_model", "No model '" + request.modelId() + "'."));
        World world = found.world().orElseThrow(() ->
                ApiException.notFound("unknown_world", "No world '" + request.worldId() + "'."));
        String hash = idempotency.hash(request.canonical());
        if (found.earlier().isPresent()) {
            return replay(request.turnId(), found.earlier().get(), hash);
        }
        if (found.journeyOwner().isPresent() && !found.journeyOwner().get().equals(request.accountId())) {
            throw journeyConflict(request.journeyId());
        }
        boolean newJourney = request.journeyId() != null && found.journeyOwner().isEmpty();
        try {
            if (found.accountExists() && !found.hasOverdueHolds() && !newJourney) {
                // The usual case: one statement, committed on its own (see TurnStore.authorize).
                return authorizeOnce(request, purpose, model, world, hash, now);
            }
            return tx.execute(status -> {
                accounts.ensure(request.accountId());
                holdExpiry.expireOverdue(request.accountId(), now);
                grants.expireDue(request.accountId(), now);
                // A journey's first turn claims it for its account, in the turn's transaction (a refused
                // turn claims nothing); a claim by another account, even a concurrent one, is a 409.
                if (newJourney && !journeys.claim(request.journeyId(), request.accountId(), now)) {
                    throw journeyConflict(request.journeyId());
                }
                return authorizeOnce(request, purpose, model, world, hash, now);
            });
        } catch (DuplicateKeyException e) {
            // A concurrent call with the same id committed first; nothing of ours was applied.
            return store.find(request.turnId())
                    .map(turn -> replay(request.turnId(), new TurnStore.Earlier(turn.requestHash(),
                            turn.authorizeResponse()), hash))
                    .orElseThrow(() -> e);
        }
    }

    private static ApiException journeyConflict(String journeyId) {
        return ApiException.conflict("journey_conflict",
                "Journey '" + journeyId + "' belongs to another account.");
    }

    private StoredAnswer replay(String turnId, TurnStore.Earlier earlier, String hash) {
        if (earlier.authorizeResponse() == null && earlier.requestHash().equals(hash)) {
            throw TurnRetention.replayExpired(turnId); // retention dropped the stored answer
        }
        return StoredAnswer.of(idempotency.replayOrConflict(earlier.requestHash(), hash, earlier.authorizeResponse(),
                "Turn '" + turnId + "' was already authorized with a different request."));
    }

    /**
     * A free turn if the purpose and model allow and one is left today (even when the player has
     * credits), else a credit hold; each a single statement that also writes the turn row.
     */
    private StoredAnswer authorizeOnce(AuthorizeRequest request, Purpose purpose, Model model, World world,
            String hash, Instant now) {
        LocalDate today = ServiceClock.utcDay(now);
        Instant expiresAt = now.plus(properties.holds().ttl());
        int allowance = freeTurns.dailyAllowance();
        if (purpose == Purpose.PLAY && !model.creditsOnly()) {
            Optional<String> free = store.authorize(TurnStore.AUTHORIZE_FREE_TURN_SQL,
                    newTurn(request, purpose, model, world, FundedBy.FREE_TURN, 0, today, hash, now, expiresAt),
                    today, allowance);
            if (free.isPresent()) {
                return StoredAnswer.of(free.get());
            }
        }
        long hold = holdFor(request, model, world);
        Optional<String> held = store.authorize(TurnStore.AUTHORIZE_CREDIT_HOLD_SQL,
                newTurn(request, purpose, model, world, FundedBy.CREDITS, hold, null, hash, now, expiresAt),
                today, allowance);
        if (held.isEmpty()) {
            throw creditHolds.refuse(request.accountId(), hold, today, purpose, model, world.worldId());
        }
        return StoredAnswer.of(held.get());
    }

    private TurnStore.NewTurn newTurn(AuthorizeRequest request, Purpose purpose, Model model, World world,
            FundedBy fundedBy, long hold, LocalDate freeTurnDay, String hash, Instant now, Instant expiresAt) {
        // The picker's estimate, stored beside the real cost (estimates/EstimateAccuracy); cached, no round trip.
        Estimate estimate = purpose == Purpose.PLAY ? holdMinimum.estimate(model, world.worldId()) : null;
        return new TurnStore.NewTurn(request.turnId(), request.accountId(), request.journeyId(), world.worldId(),
                model.id(), purpose, fundedBy, hold, freeTurnDay, world.ownerId(), world.published(),
                request.maxOutputTokens(), request.expectedInputTokens(), request.expectedImages(), hash, now,
                expiresAt, estimate, model.cacheTtlSeconds());
    }

    /** The contract's hold for the request, never below the hold minimum ({@link HoldMinimum}). */
    private long holdFor(AuthorizeRequest request, Model model, World world) {
        long hold;
        if (request.expectedInputTokens() == null || request.maxOutputTokens() == null) {
            hold = estimates.forModel(model, world.worldId()).highMillicredits() + imagesHold(request, model);
        } else {
            hold = estimates.holdMillicredits(model, request.expectedInputTokens(), request.maxOutputTokens(),
                    request.expectedImages() == null ? 0 : request.expectedImages());
        }
        return Math.max(hold, holdMinimum.millicredits(model, world.worldId()));
    }

    private long imagesHold(AuthorizeRequest request, Model model) {
        long images = request.expectedImages() == null ? 0 : request.expectedImages();
        return images == 0 ? 0 : estimates.holdMillicredits(model, 0, 0, images);
    }
}
