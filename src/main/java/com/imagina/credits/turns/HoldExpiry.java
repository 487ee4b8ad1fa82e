package com.imagina.credits.turns;

import com.imagina.credits.ledger.FreeTurns;
import com.imagina.credits.ledger.Accounts;
import com.imagina.credits.system.ServiceClock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Authorizations the engine never settled nor voided expire after {@code credits.holds.ttl}: their
 * credit hold is released and their free turn given back. It happens lazily whenever an account is
 * read or charged (so answers never count a dead hold), and by a sweep every 30 seconds for accounts
 * nobody looks at. Both are the same conditional update, so running them at once on several instances
 * releases each hold exactly once.
 */
@Component
public class HoldExpiry {
    private static final Logger log = LoggerFactory.getLogger(HoldExpiry.class);

    private final JdbcClient jdbc;
    private final FreeTurns freeTurns;
    private final Accounts accounts;
    private final ServiceClock clock;
    private final TransactionTemplate tx;

    HoldExpiry(JdbcClient jdbc, FreeTurns freeTurns, Accounts accounts, ServiceClock clock, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.freeTurns = freeTurns;
        this.accounts = accounts;
        this.clock = clock;
        this.tx = tx;
    }

    private record Expired(long holdMillicredits, LocalDate freeTurnDay) {}

    /** Expires this account's overdue authorizations inside the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    int expireOverdue(String accountId, Instant now) {
        List<Expired> expired = expire(EXPIRE_ACCOUNTS_OVERDUE, accountId, now);
        release(accountId, expired);
        return expired.size();
    }

    /**
     * Expires one overdue authorization, already locked by the caller (a settle or void that found it
     * past its time), inside the caller's transaction. Only this turn: expiring the account's other
     * overdue turns here would wait for their locks while holding this one, and two such calls could
     * deadlock each other.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    void expireLocked(String turnId, String accountId, Instant now) {
        release(accountId, expire(EXPIRE_TURN_IF_OVERDUE, turnId, now));
    }

    /** Marks overdue open turns expired (at their own expiry time), returning what they held. */
    private static final String EXPIRE_OVERDUE = """
            update turns set status = 'expired', closed_at = expires_at
             where %s = :id and status = 'authorized' and expires_at <= :now
            returning hold_millicredits, free_turn_day""";
    private static final String EXPIRE_ACCOUNTS_OVERDUE = EXPIRE_OVERDUE.formatted("account_id");
    private static final String EXPIRE_TURN_IF_OVERDUE = EXPIRE_OVERDUE.formatted("turn_id");

    private List<Expired> expire(String statement, String id, Instant now) {
        return jdbc.sql(statement).param("id", id).param("now", java.sql.Timestamp.from(now))
                .query((rs, n) -> new Expired(rs.getLong(1), rs.getObject(2, LocalDate.class))).list();
    }

    private void release(String accountId, List<Expired> expired) {
        if (expired.isEmpty()) {
            return;
        }
        long released = expired.stream().mapToLong(Expired::holdMillicredits).sum();
        if (released > 0) {
            accounts.releaseHold(accountId, released);
        }
        Map<LocalDate, Long> freeByDay = expired.stream().filter(e -> e.freeTurnDay() != null)
                .collect(Collectors.groupingBy(Expired::freeTurnDay, Collectors.counting()));
        freeByDay.forEach((day, count) -> freeTurns.release(accountId, day, count.intValue()));
    }

    /** The lazy check in a transaction of its own, for readers. */
    public void expireOverdueNow(String accountId) {
        tx.executeWithoutResult(status -> expireOverdue(accountId, clock.now()));
    }

    /** The sweep: every account with an overdue hold, one short transaction each. */
    @Scheduled(fixedDelayString = "${credits.holds.sweep-interval:30s}", initialDelayString = "10s")
    int sweep() {
        Instant now = clock.now();
        List<String> accounts = jdbc.sql("""
                select distinct account_id from turns
                 where status = 'authorized' and expires_at <= :now limit 1000""")
                .param("now", java.sql.Timestamp.from(now)).query(String.class).list();
        int total = 0;
        for (String accountId : accounts) {
            Integer n = tx.execute(status -> expireOverdue(accountId, now));
            total += n == null ? 0 : n;
        }
        if (total > 0) {
            log.info("Expired {} holds of {} accounts", total, accounts.size());
        }
        return total;
    }
}
