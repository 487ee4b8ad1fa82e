package com.imagina.credits.ledger;

import com.imagina.credits.ledger.Accounts.AccountRow;
import com.imagina.credits.system.CreditsProperties;
import com.imagina.credits.system.ServiceClock;
import java.time.Instant;
import java.time.LocalDate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The daily free-turn allowance. The account row counts the free turns used on one UTC day; a new day
 * starts from zero without any job running at midnight. Reserving is a single conditional update, so
 * the last free turn of the day is given exactly once however many requests race for it.
 */
@Component
public class FreeTurns {
    private final JdbcClient jdbc;
    private final int dailyAllowance;

    FreeTurns(JdbcClient jdbc, CreditsProperties properties) {
        this.jdbc = jdbc;
        this.dailyAllowance = properties.freeTurns().dailyAllowance();
    }

    public int dailyAllowance() {
        return dailyAllowance;
    }

    public int remaining(AccountRow account, LocalDate today) {
        return Math.max(0, dailyAllowance - account.freeTurnsUsedOn(today));
    }

    /**
     * Takes one free turn of {@code :today} from account {@code :accountId}, if any is left (of
     * {@code :allowance}): a conditional update, for the caller to run with a {@code returning} clause
     * (the turn's authorization writes the turn row in the same statement). No row means none was left.
     */
    public static final String RESERVE_SQL = """
            update accounts
               set free_turns_used = case when free_turns_day = cast(:today as date) then free_turns_used + 1 else 1 end,
                   free_turns_day = cast(:today as date)
             where account_id = :accountId
               and (free_turns_day is distinct from cast(:today as date) or free_turns_used < :allowance)
               and :allowance > 0""";

    /**
     * {@link #remaining} in SQL, over a row named {@code account} with the account's columns, for
     * answers built in the statement that changed the row. The two must say the same.
     */
    public static final String REMAINING_SQL = """
            greatest(0, :allowance - case when account.free_turns_day = cast(:today as date)
                                          then account.free_turns_used else 0 end)""";

    /**
     * Gives back {@code :count} free turns of {@code :day}; the day is matched in the where clause too, so an
     * earlier day's turn leaves the row unwritten. (A void gives its free turn back by the same rule inside its
     * own statement: {@link AccountHolds#RELEASE_CLOSED_SQL}.)
     */
    private static final String RELEASE_SQL = """
            update accounts
               set free_turns_used = case when free_turns_day = :day then greatest(0, free_turns_used - :count)
                                          else free_turns_used end
             where account_id = :id and free_turns_day = :day""";

    /**
     * Gives a reserved free turn back (void, expiry). A turn of an earlier day gives nothing back: that
     * day's allowance is gone and today's is already full.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void release(String accountId, LocalDate day, int count) {
        jdbc.sql(RELEASE_SQL)
                .param("id", accountId).param("day", day).param("count", count).update();
    }

    /** When the allowance next resets: the coming 00:00 UTC of the service clock. */
    static Instant resetsAt(Instant now) {
        return ServiceClock.nextMidnight(now);
    }
}
