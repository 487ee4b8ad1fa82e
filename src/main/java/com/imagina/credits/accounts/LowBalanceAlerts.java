package com.imagina.credits.accounts;

import com.imagina.credits.ledger.Accounts;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * An account's low-balance threshold ({@code accounts.low_balance_millicredits}; null: the global default in
 * {@code alert_settings}) and whether {@code balance.low} is armed ({@code balance_alerts}; no row: armed).
 * The event itself is published by the trigger on {@code accounts} (V71) in the statement that moved the
 * money.
 */
@Service
class LowBalanceAlerts {
    private final JdbcClient jdbc;
    private final Accounts accounts;

    LowBalanceAlerts(JdbcClient jdbc, Accounts accounts) {
        this.jdbc = jdbc;
        this.accounts = accounts;
    }

    /**
     * The account's own threshold (null: the default), the default, the one that applies, the available
     * balance, whether it is below the threshold now, and whether the next crossing will fire.
     */
    record AlertView(String accountId, Long lowBalanceMillicredits, Long defaultLowBalanceMillicredits,
            Long effectiveLowBalanceMillicredits, long availableMillicredits, boolean below, boolean armed) {}

    AlertView view(String accountId) {
        accounts.ensure(accountId);
        return jdbc.sql("""
                select a.low_balance_millicredits as own, d.low_balance_millicredits as dflt,
                       a.balance_millicredits - a.held_millicredits as available, coalesce(b.armed, true) as armed
                  from accounts a cross join alert_settings d
                  left join balance_alerts b on b.account_id = a.account_id
                 where a.account_id = :id""")
                .param("id", accountId)
                .query((rs, n) -> {
                    Long own = (Long) rs.getObject("own");
                    Long dflt = (Long) rs.getObject("dflt");
                    Long effective = own != null ? own : dflt;
                    long available = rs.getLong("available");
                    return new AlertView(accountId, own, dflt, effective, available,
                            effective != null && available < effective, rs.getBoolean("armed"));
                })
                .single();
    }

    /**
     * Sets the threshold. Under the account row's lock (the order of every money statement: the account,
     * then its alert), the alert is armed exactly when the available balance is at or above the new
     * threshold: setting one above the balance publishes nothing (nothing crossed it; the dashboard shows the
     * notice), and the next credit that lifts the balance to it re-arms it.
     */
    @Transactional
    AlertView set(String accountId, Long lowBalanceMillicredits) {
        accounts.ensure(accountId);
        long available = accounts.setLowBalanceThreshold(accountId, lowBalanceMillicredits);
        jdbc.sql("""
                insert into balance_alerts as b (account_id, armed)
                select :id, coalesce(:available >= coalesce(cast(:own as bigint), d.low_balance_millicredits), true)
                  from alert_settings d
                on conflict (account_id) do update set armed = excluded.armed""")
                .param("id", accountId).param("own", lowBalanceMillicredits).param("available", available)
                .update();
        return view(accountId);
    }
}
