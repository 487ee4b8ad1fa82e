package com.imagina.credits.grants;

import com.imagina.credits.events.EventType;
import com.imagina.credits.events.EventsProperties;
import com.imagina.credits.events.Outbox;
import com.imagina.credits.system.ServiceClock;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * {@code grant.expiring}: a sweep publishes it once per grant (dedupe key {@code grant.expiring:{grantId}},
 * checked under the account's event lock, so several instances publish it once) when the grant expires
 * within {@code credits.events.grant-expiring-before} (default a day) and something is left of it. What is
 * left is computed as {@code Grants.expiring} does, with the promotional spend not yet applied to the grants.
 * No money moves, so the event is its own short transaction.
 */
@Component
public class GrantExpiringNotices {
    private static final Logger log = LoggerFactory.getLogger(GrantExpiringNotices.class);

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final ServiceClock clock;
    private final EventsProperties properties;

    GrantExpiringNotices(JdbcClient jdbc, Outbox outbox, ServiceClock clock, EventsProperties properties) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.clock = clock;
        this.properties = properties;
    }

    record Expiring(String grantId, String accountId, String kind, long amountMillicredits, long leftMillicredits,
            Instant expiresAt) {}

    @Scheduled(fixedDelayString = "${credits.events.grant-expiring-sweep-interval:30s}", initialDelayString = "15s")
    public int sweep() {
        Instant now = clock.now();
        List<Expiring> due = jdbc.sql("""
                select x.grant_id, x.account_id, x.kind, x.amount_millicredits, x.left_millicredits, x.expires_at
                  from (select g.grant_id, g.account_id, g.kind, g.amount_millicredits, g.expires_at,
                               greatest(0, least(g.remaining_millicredits,
                                   sum(g.remaining_millicredits) over (partition by g.account_id
                                       order by g.expires_at asc nulls last, g.created_at, g.grant_id)
                                   - a.promo_unallocated_millicredits)) as left_millicredits
                          from credit_grants g join accounts a on a.account_id = g.account_id
                         where g.expired_at is null
                           and g.account_id in (select account_id from credit_grants
                                                 where expired_at is null and expires_at > :now
                                                   and expires_at <= :soon)) x
                 where x.expires_at > :now and x.expires_at <= :soon and x.left_millicredits > 0
                   and not exists (select 1 from events e where e.dedupe_key = 'grant.expiring:' || x.grant_id)
                 order by x.expires_at
                 limit 500""")
                .param("now", Timestamp.from(now))
                .param("soon", Timestamp.from(now.plus(properties.grantExpiringBefore())))
                .query((rs, n) -> new Expiring(rs.getString("grant_id"), rs.getString("account_id"),
                        rs.getString("kind"), rs.getLong("amount_millicredits"), rs.getLong("left_millicredits"),
                        rs.getTimestamp("expires_at").toInstant()))
                .list();
        int published = 0;
        for (Expiring g : due) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("grantId", g.grantId());
            data.put("kind", g.kind());
            data.put("amountMillicredits", g.amountMillicredits());
            data.put("leftMillicredits", g.leftMillicredits());
            data.put("expiresAt", g.expiresAt().toString());
            if (outbox.appendOnce("grant.expiring:" + g.grantId(), g.accountId(), EventType.GRANT_EXPIRING, data, now)
                    .isPresent()) {
                published++;
            }
        }
        if (published > 0) {
            log.info("Published grant.expiring for {} grants", published);
        }
        return published;
    }
}
