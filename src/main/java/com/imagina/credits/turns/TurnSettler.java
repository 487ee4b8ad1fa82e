package com.imagina.credits.turns;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.ledger.FreeTurns;
import com.imagina.credits.ledger.EntryType;
import com.imagina.credits.ledger.Idempotency;
import com.imagina.credits.ledger.Ledger;
import com.imagina.credits.ledger.Posting;
import com.imagina.credits.pricing.CostCalculator;
import com.imagina.credits.pricing.Model;
import com.imagina.credits.pricing.ModelCatalog;
import com.imagina.credits.pricing.NormalizedUsage;
import com.imagina.credits.pricing.UsageNormalizer;
import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.CreditsProperties;
import com.imagina.credits.system.JsonText;
import com.imagina.credits.system.ServiceClock;
import com.imagina.credits.system.db.GroupCommit;
import com.imagina.credits.turns.TurnResponses.Settled;
import com.imagina.credits.turns.TurnResponses.Voided;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Closes authorizations. Settle checks, in order: the usage body (400, the turn stays open), the turn
 * (404 {@code unknown_turn}), a replay (the first answer, or 409 {@code idempotency_conflict}), the
 * turn being open and unexpired (409 {@code turn_not_open}); then charges the real cost at the model's
 * current prices in one statement that locks the turn, then the account. The cost is computed from the
 * real usage in full; what is collected is bounded (see {@code Ledger}'s bounded posting): at most the
 * hold plus what the account has available beyond it (plus the allowed overdraft), within today's cap.
 * The rest is the turn's {@code uncollectedMillicredits}.
 */
@Service
class TurnSettler {
    private final TurnStore store;
    private final Ledger ledger;
    private final FreeTurns freeTurns;
    private final HoldExpiry holdExpiry;
    private final ModelCatalog catalog;
    private final ServiceClock clock;
    private final TransactionTemplate tx;
    private final JsonText json;
    private final Idempotency idempotency;
    private final BigDecimal creditsPerUsd;
    private final boolean sharePromotional;
    private final long maxOverdraft;

    TurnSettler(TurnStore store, Ledger ledger, FreeTurns freeTurns, HoldExpiry holdExpiry,
            ModelCatalog catalog, ServiceClock clock,
            TransactionTemplate tx, JsonText json, Idempotency idempotency, CreditsProperties properties) {
        this.idempotency = idempotency;
        this.store = store;
        this.ledger = ledger;
        this.freeTurns = freeTurns;
        this.holdExpiry = holdExpiry;
        this.catalog = catalog;
        this.clock = clock;
        this.tx = GroupCommit.nested(tx);
        this.json = json;
        this.creditsPerUsd = properties.pricing().creditsPerUsd();
        this.sharePromotional = properties.revenueShare().onPromotional();
        this.maxOverdraft = properties.holds().maxOverdraftMillicredits();
    }

    Settled settle(String turnId, JsonNode body) {
        NormalizedUsage usage = UsageNormalizer.normalize(body); // 400 naming the fields; the turn stays open
        String raw = idempotency.canonicalJson(body);
        String settleHash = Idempotency.sha256(raw);
        // The usual case: the turn seen open by a plain read, then one guarded statement that locks it,
        // charges and closes it (no transaction around it: one round trip, all or nothing).
        Optional<Settled> atOnce = store.forSettle(turnId, false)
                .flatMap(seen -> chargeIfOpen(seen, usage, raw, settleHash, clock.now()));
        if (atOnce.isPresent()) {
            return atOnce.get();
        }
        // Everything else under the turn's lock: a replay, a conflict, a turn past its time or closed, a
        // race the guard lost. Only a price change between read and write sends it round again.
        for (int attempt = 1; ; attempt++) {
            Locked<Settled> outcome = tx.execute(status -> settleLocked(turnId, usage, raw, settleHash));
            if (outcome instanceof Expired<Settled> expired) {
                // its expiry is committed: the hold is released even though we refuse
                throw notOpen(expired.turn());
            }
            if (outcome instanceof Answered<Settled> answered) {
                return answered.answer();
            }
            if (attempt == 5) {
                throw new IllegalStateException("Turn " + turnId + ": the model's prices kept changing");
            }
        }
    }

    /**
     * What a transaction under the turn's lock ends with. Only {@link Expired} and {@link PricesChanged}
     * commit without an answer: the first is refused after its commit (the expiry must stay), the second
     * is tried again.
     */
    private sealed interface Locked<T> permits Answered, Expired, PricesChanged {}

    /** The answer to give (the first one, on a replay). */
    private record Answered<T>(T answer) implements Locked<T> {}

    /** The turn was found open past its time and expired here; answered 409 {@code turn_not_open}. */
    private record Expired<T>(Turn turn) implements Locked<T> {}

    /** The model's prices changed between read and write: the guard refused, go round again. */
    private record PricesChanged<T>() implements Locked<T> {}

    /**
     * Under the turn's lock: the answer; the turn, when it was found past its time and expired
     * (committed, then refused); or {@link PricesChanged} when the model's prices changed since they
     * were read.
     */
    private Locked<Settled> settleLocked(String turnId, NormalizedUsage usage, String raw, String settleHash) {
        TurnStore.ForSettle locked = store.forSettle(turnId, true).orElseThrow(() -> unknownTurn(turnId));
        Turn turn = locked.turn();
        if (turn.status() == TurnStatus.SETTLED) {
            if (turn.settleResponse() == null && settleHash.equals(turn.settleHash())) {
                throw TurnRetention.replayExpired(turnId); // retention dropped the stored answer
            }
            return new Answered<>(idempotency.replayOrConflict(turn.settleHash(), settleHash, turn.settleResponse(),
                    Settled.class, "Turn '" + turnId + "' was already settled with different usage."));
        }
        Instant now = clock.now();
        if (expiresNow(turn, now)) {
            return new Expired<>(turn);
        }
        if (turn.status() != TurnStatus.AUTHORIZED) {
            throw notOpen(turn);
        }
        return chargeIfOpen(locked, usage, raw, settleHash, now).<Locked<Settled>>map(Answered::new)
                .orElseGet(PricesChanged::new);
    }

    /**
     * Charges the real cost at the prices read with the turn and closes it, in one statement guarded by
     * the turn being open and the prices unchanged ({@link TurnStore#SETTLE_GUARD}); empty when the
     * guard found otherwise, or when the turn was not open or past its time when it was read.
     */
    private Optional<Settled> chargeIfOpen(TurnStore.ForSettle seen, NormalizedUsage usage, String raw,
            String settleHash, Instant now) {
        Turn turn = seen.turn();
        if (turn.status() != TurnStatus.AUTHORIZED || !turn.expiresAt().isAfter(now)) {
            return Optional.empty();
        }
        Model model = seen.model();
        long cost = CostCalculator.cost(usage, model.prices(), creditsPerUsd).millicredits();
        long toCollect = turn.freeTurn() ? 0 : cost;
        LocalDate today = ServiceClock.utcDay(now);
        // The account as read with the turn: the posting does not touch free turns.
        int freeLeft = freeTurns.remaining(seen.account(), today);
        SettledUsage settled = new SettledUsage(raw, usage, catalog.write(model.prices()), model.priceVersion(),
                creditsPerUsd, cost);
        Posting posting = Posting.turnCharge(turn.accountId(), entryType(turn), toCollect, cost,
                description(turn, model), turn.turnId(), model.id(), turn.worldId(), turn.journeyId(), now,
                turn.holdMillicredits(), today, maxOverdraft);
        return ledger.postGuarded(TurnStore.SETTLE_POSTING_SQL,
                        TurnStore.settleParams(turn, settled, settleHash, freeLeft, now, sharePromotional), posting)
                .map(entry -> {
                    long charged = -entry.amountMillicredits();
                    return new Settled(turn.turnId(), TurnStatus.SETTLED.wireName(), turn.fundedBy().wireName(), cost,
                            charged, turn.freeTurn() ? 0 : cost - charged, entry.balanceAfterMillicredits(),
                            freeLeft);
                });
    }

    Voided voidTurn(String turnId) {
        // The usual case in one statement (no transaction around it): the open turn voided, its hold or
        // free turn released. Everything else — a replay, a closed or expired turn — under the lock below.
        if (store.voidIfOpen(turnId, clock.now())) {
            return new Voided(turnId, TurnStatus.VOIDED.wireName());
        }
        Locked<Voided> outcome = tx.execute(status -> {
            Turn turn = store.lock(turnId).orElseThrow(() -> unknownTurn(turnId));
            if (turn.status() == TurnStatus.VOIDED) {
                return new Answered<>(new Voided(turnId, TurnStatus.VOIDED.wireName()));
            }
            Instant now = clock.now();
            if (expiresNow(turn, now)) {
                return new Expired<>(turn);
            }
            if (turn.status() != TurnStatus.AUTHORIZED) {
                throw notOpen(turn);
            }
            // Open and unexpired at this now, and locked by us: the same one statement voids it.
            if (!store.voidIfOpen(turnId, now)) {
                throw new IllegalStateException("Turn " + turnId + " is locked and open but could not be voided");
            }
            return new Answered<>(new Voided(turnId, TurnStatus.VOIDED.wireName()));
        });
        if (outcome instanceof Expired<Voided> expired) {
            throw notOpen(expired.turn());
        }
        if (outcome instanceof Answered<Voided> answered) {
            return answered.answer();
        }
        throw new IllegalStateException("Turn " + turnId + ": a void has no prices to change");
    }

    /**
     * An open turn past its time, locked by the caller, is expired here in the caller's transaction (its
     * hold released, its free turn given back), which then commits before the 409 is answered.
     */
    private boolean expiresNow(Turn turn, Instant now) {
        if (turn.status() != TurnStatus.AUTHORIZED || turn.expiresAt().isAfter(now)) {
            return false;
        }
        holdExpiry.expireLocked(turn.turnId(), turn.accountId(), now);
        return true;
    }

    private static EntryType entryType(Turn turn) {
        return turn.freeTurn() ? EntryType.FREE_TURN : turn.purpose().paidEntryType();
    }

    private static String description(Turn turn, Model model) {
        return switch (turn.purpose()) {
            case PLAY -> (turn.freeTurn() ? "Free turn on " : "Turn on ") + model.name();
            case WORLD_TEXT -> "World text on " + model.name();
            case WORLD_IMAGE -> "World image on " + model.name();
        };
    }

    private static ApiException unknownTurn(String turnId) {
        return Turn.unknown(turnId);
    }

    private static ApiException notOpen(Turn turn) {
        return ApiException.conflict("turn_not_open", "Turn '" + turn.turnId() + "' is "
                + (turn.status() == TurnStatus.AUTHORIZED ? "expired" : turn.status().wireName()) + ".")
                .with("turnStatus", turn.status() == TurnStatus.AUTHORIZED ? "expired" : turn.status().wireName());
    }
}
