package com.imagina.credits.turns;

import com.imagina.credits.freeturns.FreeTurns;
import com.imagina.credits.ledger.Accounts;
import com.imagina.credits.ledger.Accounts.AccountRow;
import com.imagina.credits.pricing.Model;
import com.imagina.credits.system.ApiException;
import java.time.LocalDate;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Places a credit hold with one conditional update: it succeeds only if the available balance covers
 * it, the balance is not negative, and today's paid spend plus open holds stays within the player's
 * daily cap. The row lock of that update serializes holds per account, so no number of concurrent
 * authorizations can pass either limit. On refusal the 402 says why and, when the model is
 * credits-only and free turns remain, offers an eligible model instead.
 */
@Component
class CreditHolds {
    private final JdbcClient jdbc;
    private final Accounts accounts;
    private final FreeTurns freeTurns;
    private final SwitchOffer switchOffer;

    CreditHolds(JdbcClient jdbc, Accounts accounts, FreeTurns freeTurns, SwitchOffer switchOffer) {
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.freeTurns = freeTurns;
        this.switchOffer = switchOffer;
    }

    /**
     * Holds the credits and returns the account as the hold left it (the {@code returning} row, so the
     * caller needs no second read while the row is locked); or throws the 402.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    AccountRow hold(String accountId, long holdMillicredits, LocalDate today, Purpose purpose, Model model,
            String worldId) {
        Optional<AccountRow> held = jdbc.sql("""
                update accounts set held_millicredits = held_millicredits + :hold
                 where account_id = :id
                   and balance_millicredits >= 0
                   and balance_millicredits - held_millicredits >= :hold
                   and (daily_spend_limit_millicredits is null
                        or (case when spend_day = :today then spent_on_spend_day_millicredits else 0 end)
                           + held_millicredits + :hold <= daily_spend_limit_millicredits)""" + " returning "
                + Accounts.ROW_COLUMNS)
                .param("id", accountId).param("hold", holdMillicredits).param("today", today)
                .query(Accounts::mapRow).optional();
        if (held.isPresent()) {
            return held.get();
        }
        AccountRow account = accounts.find(accountId).orElseThrow();
        int freeLeft = freeTurns.remaining(account, today);
        Object offer = purpose == Purpose.PLAY && model.creditsOnly() && freeLeft > 0
                ? switchOffer.suggest(worldId).orElse(null) : null;
        boolean balanceShort = account.balanceMillicredits() < 0
                || account.availableMillicredits() < holdMillicredits;
        if (balanceShort) {
            throw new ApiException(HttpStatus.PAYMENT_REQUIRED, "insufficient_credits",
                    "Not enough credits for this turn.")
                    .with("availableMillicredits", account.availableMillicredits())
                    .with("requiredMillicredits", holdMillicredits)
                    .with("freeTurnsRemaining", freeLeft)
                    .with("suggestedModel", offer);
        }
        throw new ApiException(HttpStatus.PAYMENT_REQUIRED, "spend_limit_reached",
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
