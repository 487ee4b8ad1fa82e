package com.imagina.credits.grants;

import com.imagina.credits.ledger.Grants;
import com.imagina.credits.system.ServiceClock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Grants past their {@code expiresAt} expire lazily whenever their account is read or authorizes a
 * turn, and by a sweep every 30 seconds for accounts nobody looks at. Each expiry locks the account
 * row and expires only grants still live under that lock, and its entry key is unique, so running both
 * on several instances at once expires each grant exactly once.
 */
@Component
public class GrantExpiry {
    private static final Logger log = LoggerFactory.getLogger(GrantExpiry.class);

    private final Grants grants;
    private final ServiceClock clock;
    private final TransactionTemplate tx;

    GrantExpiry(Grants grants, ServiceClock clock, TransactionTemplate tx) {
        this.grants = grants;
        this.clock = clock;
        this.tx = tx;
    }

    /** The lazy check for readers: a cheap look first, a transaction only when a grant is due. */
    public void expireDueNow(String accountId) {
        Instant now = clock.now();
        if (grants.hasDueGrants(accountId, now)) {
            tx.executeWithoutResult(status -> grants.expireDue(accountId, now));
        }
    }

    /** The sweep: every account with a due grant, one short transaction each. */
    @Scheduled(fixedDelayString = "${credits.grants.sweep-interval:30s}", initialDelayString = "10s")
    int sweep() {
        Instant now = clock.now();
        List<String> accounts = grants.accountsWithDueGrants(now, 1000);
        int total = 0;
        for (String accountId : accounts) {
            Integer n = tx.execute(status -> grants.expireDue(accountId, now));
            total += n == null ? 0 : n;
        }
        if (total > 0) {
            log.info("Expired {} grants of {} accounts", total, accounts.size());
        }
        return total;
    }
}
