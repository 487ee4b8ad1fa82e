package com.imagina.credits.events;

import java.util.Optional;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The low-balance threshold per account ({@code PUT /api/v1/accounts/{id}/alerts}) and the global default
 * ({@code credits.events.low-balance-default-millicredits}, copied into {@code alert_settings} at start so
 * the money statements read it in SQL). {@code balance.low} itself is published by those statements
 * ({@link OutboxSql#lowBalanceCtes}).
 */
@Component
public class LowBalanceAlerts {
    private final JdbcClient jdbc;
    private final EventsProperties properties;

    LowBalanceAlerts(JdbcClient jdbc, EventsProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /** The configuration is the source of the default (0: none); every instance writes the same value. */
    @EventListener(ApplicationReadyEvent.class)
    void writeDefault() {
        jdbc.sql("update alert_settings set low_balance_millicredits = cast(:v as bigint) where id = 1 "
                        + "and low_balance_millicredits is distinct from cast(:v as bigint)")
                .param("v", properties.lowBalanceDefaultMillicredits() == 0 ? null
                        : properties.lowBalanceDefaultMillicredits()).update();
    }

    /**
     * An account's alert: its own threshold (null: the default), the default, the one that applies, whether
     * the available balance is below it now, and whether the next crossing will fire.
     */
    public record AlertView(String accountId, Long lowBalanceMillicredits, Long defaultLowBalanceMillicredits,
            Long effectiveLowBalanceMillicredits, long availableMillicredits, boolean below, boolean armed) {}

    private static final String VIEW_SQL = """
            select a.account_id, b.low_balance_millicredits as own, d.low_balance_millicredits as dflt,
                   a.balance_millicredits - a.held_millicredits as available, coalesce(b.low_armed, true) as armed
              from accounts a cross join alert_settings d
              left join balance_alerts b on b.account_id = a.account_id
             where a.account_id = :id""";

    public Optional<AlertView> view(String accountId) {
        return jdbc.sql(VIEW_SQL).param("id", accountId).query((rs, n) -> {
            Long own = (Long) rs.getObject("own");
            Long dflt = (Long) rs.getObject("dflt");
            Long effective = own != null ? own : dflt;
            long available = rs.getLong("available");
            return new AlertView(accountId, own, dflt, effective, available,
                    effective != null && available < effective, rs.getBoolean("armed"));
        }).optional();
    }

    /**
     * Sets the account's threshold. Under the account row's lock (the order of the money statements:
     * account, then alert), the alert is armed exactly when the available balance is at or above the new
     * threshold: setting a threshold above the balance publishes nothing (no crossing happened) — the
     * dashboard shows the notice — and the next credit that lifts the balance above it re-arms it.
     * Empty for an unknown account.
     */
    @Transactional
    public Optional<AlertView> set(String accountId, Long lowBalanceMillicredits) {
        Optional<Long> available = jdbc.sql("""
                select balance_millicredits - held_millicredits from accounts where account_id = :id for update""")
                .param("id", accountId).query(Long.class).optional();
        if (available.isEmpty()) {
            return Optional.empty();
        }
        jdbc.sql("""
                insert into balance_alerts as b (account_id, low_balance_millicredits, low_armed)
                select :id, cast(:own as bigint), coalesce(:available >= coalesce(cast(:own as bigint), d.low_balance_millicredits), true)
                  from alert_settings d
                on conflict (account_id) do update
                   set low_balance_millicredits = excluded.low_balance_millicredits, low_armed = excluded.low_armed""")
                .param("id", accountId).param("own", lowBalanceMillicredits).param("available", available.get())
                .update();
        return view(accountId);
    }
}
