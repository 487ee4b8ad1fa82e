package com.imagina.credits.payouts;

import com.imagina.credits.events.EventType;
import com.imagina.credits.events.Outbox;
import com.imagina.credits.ledger.Accounts;
import com.imagina.credits.ledger.Ledger;
import com.imagina.credits.ledger.Posting;
import com.imagina.credits.payouts.PayoutStore.Charge;
import com.imagina.credits.payouts.PayoutStore.Group;
import com.imagina.credits.system.CreditsProperties;
import com.imagina.credits.system.ServiceClock;
import com.imagina.credits.worlds.World;
import com.imagina.credits.worlds.Worlds;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Pays one (owner, world, day) group in one transaction, in this order: lock the group's unpaid
 * charges; post the {@code revenue_share} entry; record the payout; mark every locked charge as paid by
 * it. All of it commits or none of it does, so a crash at any point leaves the charges unpaid and the
 * next run pays them; and a charge once marked is never selected again, so it is never paid twice.
 */
@Component
class GroupPayer {
    private final PayoutStore store;
    private final Ledger ledger;
    private final Accounts accounts;
    private final Worlds worlds;
    private final ServiceClock clock;
    private final TransactionTemplate tx;
    private final BigDecimal percent;
    private final Outbox outbox;

    GroupPayer(PayoutStore store, Ledger ledger, Accounts accounts, Worlds worlds, ServiceClock clock,
            TransactionTemplate tx, CreditsProperties properties, Outbox outbox) {
        this.outbox = outbox;
        this.store = store;
        this.ledger = ledger;
        this.accounts = accounts;
        this.worlds = worlds;
        this.clock = clock;
        this.tx = tx;
        this.percent = properties.revenueShare().percent();
        RevenueShare.requireValidPercent(percent);
    }

    /** What one payout paid. A share that rounds to 0 is recorded (its charges are settled) but credits nothing. */
    record PaidOut(long payoutId, String ownerId, String worldId, LocalDate day, int batch, int paidPlays,
            long playSpendMillicredits, long amountMillicredits) {}

    /** Empty when nothing in the group is unpaid any more (another run paid it first). */
    Optional<PaidOut> pay(Group group) {
        return tx.execute(status -> payInTransaction(group));
    }

    private Optional<PaidOut> payInTransaction(Group g) {
        List<Charge> charges = store.lockUnpaid(g);
        if (charges.isEmpty()) {
            return Optional.empty();
        }
        long spend = charges.stream().mapToLong(Charge::chargedMillicredits).reduce(0, Math::addExact);
        long share = RevenueShare.of(spend, percent);
        int batch = store.nextBatch(g);
        Instant now = clock.now();
        Long entryId = null;
        if (share > 0) {
            accounts.ensure(g.ownerId());
            entryId = ledger.post(Posting.revenueSharePayout(g.ownerId(), share,
                    description(g, charges.size()), entryKey(g, batch), g.worldId(), now)).id();
        }
        long payoutId = store.insert(g, batch, spend, charges.size(), percent, share, entryId, now);
        if (share > 0) {
            // payout.credited: one per (owner, world, day) credited, in the payout's transaction.
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("payoutId", payoutId);
            data.put("ownerId", g.ownerId());
            data.put("worldId", g.worldId());
            data.put("day", g.day().toString());
            data.put("amountMillicredits", share);
            data.put("paidPlays", charges.size());
            data.put("playSpendMillicredits", spend);
            data.put("transactionId", entryId);
            outbox.append(g.ownerId(), EventType.PAYOUT_CREDITED, data, now);
        }
        int marked = store.markPaid(payoutId, charges);
        if (marked != charges.size()) {
            // Impossible while the rows are locked; if it ever happens, nothing of this payout commits.
            throw new IllegalStateException("Payout of " + g + " marked " + marked + " of " + charges.size()
                    + " charges");
        }
        return Optional.of(new PaidOut(payoutId, g.ownerId(), g.worldId(), g.day(), batch, charges.size(), spend,
                share));
    }

    /**
     * Unique per (world, day, owner) and batch: the ledger's backstop against paying a group twice.
     * Ids are URL-encoded so that no ':' inside an id can make two groups' keys collide.
     */
    static String entryKey(Group g, int batch) {
        return "revenue_share:" + encode(g.worldId()) + ":" + g.day() + ":" + encode(g.ownerId())
                + (batch == 1 ? "" : ":" + batch);
    }

    private String description(Group g, int paidPlays) {
        String title = worlds.find(g.worldId()).map(World::title).orElse(g.worldId());
        return "Revenue share for \"" + title + "\" on " + g.day() + ": " + percent.stripTrailingZeros().toPlainString()
                + "% of " + paidPlays + (paidPlays == 1 ? " paid play" : " paid plays") + " by other players";
    }

    private static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }
}
