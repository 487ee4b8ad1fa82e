package com.imagina.credits.turns;

import com.imagina.credits.ledger.FreeTurns;
import com.imagina.credits.ledger.Accounts;
import com.imagina.credits.ledger.Accounts.AccountRow;
import com.imagina.credits.pricing.Model;
import com.imagina.credits.system.ApiException;
import java.time.LocalDate;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Why a credit hold was refused: the hold itself is one conditional update of the account row
 * ({@code ledger.AccountHolds.HOLD_SQL}, run with the turn row's insert), which refuses to pass the available
 * balance or the daily cap; its row lock serializes holds per account, so no number of concurrent
 * authorizations can pass either limit. On refusal the 402 says why and, when the model is credits-only
 * and free turns remain, offers an eligible model instead.
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

    /** The 402 for a hold that {@code AccountHolds.HOLD_SQL} refused: which limit it hit, and the switch offer. */
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
