package com.imagina.credits.payouts;

import com.imagina.credits.payouts.GroupPayer.PaidOut;
import com.imagina.credits.payouts.PayoutStore.Group;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * A payout run: every (owner, world, day) group with unpaid eligible charges settled before the end
 * of {@code through} (UTC), oldest day first, each paid in a transaction of its own by
 * {@link GroupPayer}. A group that fails is rolled back whole, logged and left for the next run; the
 * others are still paid, so one bad group cannot hold every other owner's money back.
 */
@Service
class PayoutRun {
    private static final Logger log = LoggerFactory.getLogger(PayoutRun.class);

    private final PayoutStore store;
    private final GroupPayer payer;
    private final PayoutRunLock lock;

    /** Test seam: runs after each group commits; a test throws from it to stop a run halfway like a crash. */
    volatile Consumer<PaidOut> afterGroupCommitted = paid -> {};

    PayoutRun(PayoutStore store, GroupPayer payer, PayoutRunLock lock) {
        this.store = store;
        this.payer = payer;
        this.lock = lock;
    }

    record FailedGroup(String ownerId, String worldId, LocalDate day) {}

    /** What this run paid, and the groups it could not pay (retried by the next run). */
    record Result(List<PaidOut> paid, List<FailedGroup> failed) {}

    static Instant endOf(LocalDate day) {
        return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Waits for any other run (on any instance) to finish, then pays what is still unpaid. */
    Result payThrough(LocalDate through) {
        return lock.underLock(() -> payUnlocked(through));
    }

    /** For the nightly job: empty when another instance is running a payout right now. */
    Optional<Result> payThroughIfFree(LocalDate through) {
        return lock.ifFree(() -> payUnlocked(through));
    }

    /** The run itself; exactly-once does not depend on the run lock (tests call this concurrently). */
    Result payUnlocked(LocalDate through) {
        List<PaidOut> paid = new ArrayList<>();
        List<FailedGroup> failed = new ArrayList<>();
        for (Group group : store.unpaidGroupsBefore(endOf(through))) {
            Optional<PaidOut> payout;
            try {
                payout = payer.pay(group);
            } catch (RuntimeException e) {
                log.error("Revenue share payout of {} failed; it stays unpaid for the next run", group, e);
                failed.add(new FailedGroup(group.ownerId(), group.worldId(), group.day()));
                continue;
            }
            payout.ifPresent(p -> {
                paid.add(p);
                afterGroupCommitted.accept(p);
            });
        }
        if (!paid.isEmpty() || !failed.isEmpty()) {
            log.info("Revenue share through {}: {} payouts, {} millicredits, {} groups failed", through, paid.size(),
                    paid.stream().mapToLong(PaidOut::amountMillicredits).sum(), failed.size());
        }
        return new Result(List.copyOf(paid), List.copyOf(failed));
    }
}
