package com.imagina.credits.turns;

import com.imagina.credits.freeturns.FreeTurns;
import com.imagina.credits.ledger.Accounts;
import com.imagina.credits.ledger.Accounts.AccountRow;
import com.imagina.credits.pricing.Model;
import com.imagina.credits.system.ApiException;
import java.time.LocalDate;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Places a credit hold with one conditional update: it succeeds only if the available balance covers
 * it, the balance is not negative, and today's paid spend plus open holds stays within the player's
 * daily cap. The row lock of that update serializes holds per account, so no number of concurrent
 * authorizations can pass either limit. On refusal the 402 says why and, when the model is
 * credits-only and free turns remain, offers an eligible model instead.
 */
@Component
class CreditHolds {
    private final Accounts accounts;
    private final FreeTurns freeTurns;
    private final SwitchOffer switchOffer;

    CreditHolds(Accounts accounts, FreeTurns freeTurns, SwitchOffer switchOffer) {
        this.accounts = accounts;
        this.freeTurns = freeTurns;
        this.switchOffer = switchOffer;
    }

    /**
     * Holds {@code :hold} on account {@code :accountId}: a conditional update, for the caller to run with
     * a {@code returning} clause (the turn's authorization writes the turn row in the same statement). No
     * row means refused; {@link #refuse} then says why.
     */
    static final String HOLD_SQL = """
            update accounts set held_millicredits = held_millicredits + :hold
             where account_id = :accountId
               and balance_millicredits >= 0
               and balance_millicredits - held_millicredits >= :hold
               and (daily_spend_limit_millicredits is null
                    or (case when spend_day = cast(:today as date) then spent_on_spend_day_millicredits else 0 end)
                       + held_millicredits + :hold <= daily_spend_limit_millicredits)""";

    /** The 402 for a hold that {@link #HOLD_SQL} refused: which limit it hit, and the switch offer. */
    ApiException refuse(String accountId, long holdMillicredits, LocalDate today, Purpose purpose, Model model,
            String worldId) {
        AccountRow account = accounts.find(accountId).orElseThrow();
        int freeLeft = freeTurns.remaining(account, today);
        Object offer = purpose == Purpose.PLAY && model.creditsOnly() && freeLeft > 0
                ? switchOffer.suggest(model, worldId).orElse(null) : null;
        boolean balanceShort = account.balanceMillicredits() < 0
                || account.availableMillicredits() < holdMillicredits;
        if (balanceShort) {
            return new ApiException(HttpStatus.PAYMENT_REQUIRED, "insufficient_credits",
                    "Not enough credits for this turn.")
                    .with("availableMillicredits", account.availableMillicredits())
                    .with("requiredMillicredits", holdMillicredits)
                    .with("freeTurnsRemaining", freeLeft)
                    .with("suggestedModel", offer);
        }
        return new ApiException(HttpStatus.PAYMENT_REQUIRED, "spend_limit_reached",
                "This turn would pass your daily spending limit.")
                .with("limitMillicredits", account.dailySpendLimitMillicredits())
                .with("spentTodayMillicredits", account.spentOn(today))
                .with("heldMillicredits", account.heldMillicredits())
                .with("requiredMillicredits", holdMillicredits)
                .with("availableMillicredits", account.availableMillicredits())
                .with("freeTurnsRemaining", freeLeft)
                .with("suggestedModel", offer);
    }
}
