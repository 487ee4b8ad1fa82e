package com.imagina.credits.books;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The books' movements and the entry types behind each, in one place: the per-day query sums each
 * movement with its filter, and the balance check adds them with their sign. A new entry type is one
 * line here (the grants' {@code grant} and {@code expiry} are already listed: 0 until they exist).
 * Every movement is a non-negative amount when money moves the way its name says; {@code sign} is its
 * effect on the outstanding credits.
 */
final class BookMovements {
    private BookMovements() {}

    record Movement(String field, String sql, int sign) {}

    /**
     * {@code uncollected} is informational (what settled credit turns cost but could not be charged:
     * the entry's full cost minus what it charged) and moves no balance, so its sign is 0. The purchase
     * entry is pack credits + bonus; the bonus comes from its Checkout Session ({@code s}).
     */
    static final List<Movement> ALL = List.of(
            new Movement("purchasedMillicredits",
                    "coalesce(sum(e.amount_millicredits) filter (where e.type = 'purchase'), 0) - coalesce(sum(s.bonus_millicredits) filter (where e.type = 'purchase'), 0)", 1),
            new Movement("bonusMillicredits", "coalesce(sum(s.bonus_millicredits) filter (where e.type = 'purchase'), 0)", 1),
            new Movement("grantedMillicredits", "coalesce(sum(e.amount_millicredits) filter (where e.type = 'grant'), 0)", 1),
            new Movement("adjustedMillicredits", "coalesce(sum(e.amount_millicredits) filter (where e.type = 'adjustment'), 0)", 1),
            new Movement("consumedPlayMillicredits", "coalesce(-sum(e.amount_millicredits) filter (where e.type = 'turn'), 0)", -1),
            new Movement("consumedWorldTextMillicredits", "coalesce(-sum(e.amount_millicredits) filter (where e.type = 'world_text'), 0)", -1),
            new Movement("consumedWorldImageMillicredits", "coalesce(-sum(e.amount_millicredits) filter (where e.type = 'world_image'), 0)", -1),
            new Movement("revenueShareMillicredits", "coalesce(sum(e.amount_millicredits) filter (where e.type = 'revenue_share'), 0)", 1),
            new Movement("refundedMillicredits", "coalesce(-sum(e.amount_millicredits) filter (where e.type = 'refund'), 0)", -1),
            new Movement("disputedMillicredits", "coalesce(-sum(e.amount_millicredits) filter (where e.type = 'dispute'), 0)", -1),
            new Movement("disputeReversedMillicredits", "coalesce(sum(e.amount_millicredits) filter (where e.type = 'dispute_reversal'), 0)", 1),
            new Movement("expiredMillicredits", "coalesce(-sum(e.amount_millicredits) filter (where e.type = 'expiry'), 0)", -1),
            // Of what turns consumed, the part paid with promotional credits (a marketing cost, not revenue).
            new Movement("consumedPromotionalMillicredits",
                    "coalesce(sum(t.charged_promotional_millicredits) filter (where e.type in ('turn', 'world_text', 'world_image')), 0)", 0),
            new Movement("freeTurnCostMillicredits", "coalesce(sum(e.full_cost_millicredits) filter (where e.type = 'free_turn'), 0)", 0),
            new Movement("uncollectedMillicredits",
                    "coalesce(sum(e.full_cost_millicredits + e.amount_millicredits) filter (where e.type in ('turn', 'world_text', 'world_image')), 0)", 0));

    /** The select list of the per-day query: one column per movement, named by its index. */
    static String selectList() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ALL.size(); i++) {
            sb.append(",\n       ").append(ALL.get(i).sql()).append(" as m").append(i);
        }
        return sb.toString();
    }

    /** What the movements add up to: must equal the day's net (sum of its entries) when every type is booked. */
    static long signedSum(Map<String, Long> movements) {
        long total = 0;
        for (Movement m : ALL) {
            total += m.sign() * movements.getOrDefault(m.field(), 0L);
        }
        return total;
    }

    static Map<String, Long> zero() {
        Map<String, Long> out = new LinkedHashMap<>();
        ALL.forEach(m -> out.put(m.field(), 0L));
        return out;
    }
}
