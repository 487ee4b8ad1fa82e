package com.imagina.credits.proof;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The test's own account of where every millicredit should be, kept only from acknowledged answers
 * and keyed by the operation's id: an adjustment acknowledged 201 adds its amount, a purchase
 * acknowledged 200 adds the pack, a settle acknowledged 200 subtracts {@code chargedMillicredits} —
 * each once per id however many times the call was retried or replayed. Revenue share is computed
 * independently from the acknowledged paid plays, grouped by owner, world and UTC day as the
 * contract says, and rounded half-up once per group.
 */
final class ExpectedBook {
    private record Move(String accountId, long amountMillicredits) {}

    private record ShareKey(String ownerId, String worldId, LocalDate day) {}

    private final Map<String, Move> moves = new ConcurrentHashMap<>();
    private final Map<String, ShareKey> plays = new ConcurrentHashMap<>();
    private final Map<String, Long> playCharges = new ConcurrentHashMap<>();

    /** Records a credit (+) or debit (−) under its operation id; false if that id was already counted. */
    boolean move(String operationId, String accountId, long amountMillicredits) {
        return moves.putIfAbsent(operationId, new Move(accountId, amountMillicredits)) == null;
    }

    /** A paid play by someone other than the world's owner, in a published world: it earns a share. */
    void paidPlay(String operationId, String ownerId, String worldId, LocalDate day, long chargedMillicredits) {
        if (plays.putIfAbsent(operationId, new ShareKey(ownerId, worldId, day)) == null) {
            playCharges.put(operationId, chargedMillicredits);
        }
    }

    private final Map<String, Long> largestGrant = new ConcurrentHashMap<>();
    private final Map<String, Integer> grantCount = new ConcurrentHashMap<>();

    /** A promotional grant acknowledged (also recorded as a move): what its expiry may at most take. */
    void granted(String accountId, long amountMillicredits) {
        largestGrant.merge(accountId, amountMillicredits, Math::max);
        grantCount.merge(accountId, 1, Integer::sum);
    }

    /**
     * The service's own expiries of an account's grants, read at the end: each must take no more than
     * the largest grant, and there are no more of them than grants (reconciliation checks one per grant).
     * How much each took depends on the spending order, which the book does not model, so it is counted
     * as it stands once those bounds hold; false if they do not.
     */
    boolean expired(String accountId, java.util.List<Long> expiriesMillicredits) {
        if (expiriesMillicredits.size() > grantCount.getOrDefault(accountId, 0)) return false;
        long largest = largestGrant.getOrDefault(accountId, 0L);
        for (int i = 0; i < expiriesMillicredits.size(); i++) {
            long e = expiriesMillicredits.get(i);
            if (e >= 0 || -e > largest) return false;
            moves.put("expiry:" + accountId + ":" + i, new Move(accountId, e));
        }
        return true;
    }

    int operations() {
        return moves.size();
    }

    /** Every account's expected balance; with {@code payoutsThrough}, revenue share paid up to that day. */
    Map<String, Long> balances(BigDecimal sharePercent, LocalDate payoutsThrough) {
        Map<String, Long> out = new HashMap<>();
        moves.values().forEach(m -> out.merge(m.accountId(), m.amountMillicredits(), Long::sum));
        if (payoutsThrough != null) {
            Map<ShareKey, Long> groups = new HashMap<>();
            plays.forEach((op, key) -> {
                if (!key.day().isAfter(payoutsThrough)) groups.merge(key, playCharges.get(op), Long::sum);
            });
            groups.forEach((key, charges) -> out.merge(key.ownerId(), BigDecimal.valueOf(charges)
                    .multiply(sharePercent).divide(BigDecimal.valueOf(100), 0, RoundingMode.HALF_UP)
                    .longValueExact(), Long::sum));
        }
        return out;
    }
}
