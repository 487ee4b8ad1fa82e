package com.imagina.credits.ledger;

/**
 * The account side of a turn's hold, written here because every statement that writes {@code accounts}
 * lives in {@code ledger}. The turn's own statements ({@code turns.TurnStore}) embed these whole, as the
 * account step of their one round trip: the hold placed with the turn row's insert, the hold released with
 * the turn row's void. Each is readable in full here; the composed statements are kept as reviewed files
 * in {@code src/test/resources/sql/}.
 */
public final class AccountHolds {
    private AccountHolds() {}

    /**
     * Holds {@code :hold} on account {@code :accountId}: a conditional update that succeeds only if the
     * available balance covers it, the balance is not negative, and today's paid spend plus open holds
     * stays within the daily cap; for the caller to run with a {@code returning} clause. No row means
     * refused. The row lock of the update serializes holds per account.
     */
    public static final String HOLD_SQL = """
            update accounts set held_millicredits = held_millicredits + :hold
             where account_id = :accountId
               and balance_millicredits >= 0
               and balance_millicredits - held_millicredits >= :hold
               and (daily_spend_limit_millicredits is null
                    or (case when spend_day = cast(:today as date) then spent_on_spend_day_millicredits else 0 end)
                       + held_millicredits + :hold <= daily_spend_limit_millicredits)""";

    /**
     * Releases what the turn rows of a preceding CTE {@code closed} (its {@code account_id},
     * {@code hold_millicredits} and {@code free_turn_day}) held: the credit hold, or the free turn given
     * back when it is still that UTC day (the rule of {@link FreeTurns#release}).
     */
    public static final String RELEASE_CLOSED_SQL = """
            update accounts
               set held_millicredits = held_millicredits - closed.hold_millicredits,
                   free_turns_used = case when free_turns_day = closed.free_turn_day
                                          then greatest(0, free_turns_used - 1) else free_turns_used end
              from closed
             where accounts.account_id = closed.account_id""";
}
