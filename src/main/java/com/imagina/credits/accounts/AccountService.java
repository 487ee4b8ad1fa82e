package com.imagina.credits.accounts;

import com.imagina.credits.ledger.FreeTurns;
import com.imagina.credits.grants.GrantExpiry;
import com.imagina.credits.ledger.Accounts;
import com.imagina.credits.ledger.Accounts.AccountRow;
import com.imagina.credits.ledger.Grants;
import com.imagina.credits.system.ServiceClock;
import com.imagina.credits.turns.HoldExpiry;
import java.time.Instant;
import java.time.LocalDate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Reads an account as its owner sees it (after letting dead holds go) and sets its daily cap. */
@Service
public class AccountService {
    private final Accounts accounts;
    private final FreeTurns freeTurns;
    private final HoldExpiry holdExpiry;
    private final ServiceClock clock;
    private final JdbcClient jdbc;
    private final Grants grants;
    private final GrantExpiry grantExpiry;

    AccountService(Accounts accounts, FreeTurns freeTurns, HoldExpiry holdExpiry, ServiceClock clock, JdbcClient jdbc,
            Grants grants, GrantExpiry grantExpiry) {
        this.grants = grants;
        this.grantExpiry = grantExpiry;
        this.accounts = accounts;
        this.freeTurns = freeTurns;
        this.holdExpiry = holdExpiry;
        this.clock = clock;
        this.jdbc = jdbc;
    }

    public AccountView view(String accountId) {
        accounts.ensure(accountId);
        holdExpiry.expireOverdueNow(accountId);
        grantExpiry.expireDueNow(accountId);
        AccountRow row = accounts.find(accountId).orElseThrow();
        Instant now = clock.now();
        LocalDate today = ServiceClock.utcDay(now);
        Instant resetsAt = ServiceClock.nextMidnight(now);
        return new AccountView(row.accountId(), row.balanceMillicredits(), row.heldMillicredits(),
                row.availableMillicredits(),
                new AccountView.FreeTurnsView(freeTurns.remaining(row, today), freeTurns.dailyAllowance(), resetsAt),
                limits(row, today, resetsAt), grants.expiring(accountId), grants.credits(accountId).orElseThrow());
    }

    AccountView.LimitsView setDailyLimit(String accountId, Long limitMillicredits) {
        accounts.ensure(accountId);
        accounts.setDailyLimit(accountId, limitMillicredits);
        return view(accountId).limits();
    }

    private static AccountView.LimitsView limits(AccountRow row, LocalDate today, Instant resetsAt) {
        return new AccountView.LimitsView(row.dailySpendLimitMillicredits(), row.spentOn(today), resetsAt);
    }
}
