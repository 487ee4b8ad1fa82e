package com.imagina.credits.ledger;

import com.imagina.credits.system.ServiceClock;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Account rows: created on first use with balance 0 and a full free-turn allowance (an account row
 * with no free turns used on today's date), read as a snapshot for answers.
 */
@Component
public class Accounts {
    private final JdbcClient jdbc;
    private final ServiceClock clock;
    private final Grants grants;
    private final WelcomeGrantProperties welcome;
    private final TransactionTemplate tx;

    Accounts(JdbcClient jdbc, ServiceClock clock, Grants grants, WelcomeGrantProperties welcome,
            TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.grants = grants;
        this.welcome = welcome;
        this.tx = tx;
    }

    /**
     * Makes the account exist; idempotent and safe under concurrency (the primary key decides). The
     * {@code not exists} comes first because a bare {@code insert ... on conflict do nothing} waits for
     * any transaction that holds the existing row locked (a hold or a posting on a busy account) before
     * it decides there is nothing to do; the snapshot read sees the committed row and never waits.
     */
    public void ensure(String accountId) {
        if (!welcome.enabled()) {
            insertIfAbsent(accountId, clock.now());
            return;
        }
        // The welcome grant commits with the account row it belongs to: whichever call (on whichever
        // instance) creates the account gives it, exactly once; an account that exists gets nothing.
        tx.executeWithoutResult(status -> {
            Instant now = clock.now();
            if (insertIfAbsent(accountId, now)) {
                grants.create(new Grants.NewGrant("welcome:" + accountId, accountId, Grants.Kind.PROMOTIONAL,
                        welcome.amountMillicredits(), welcome.lifetime() == null ? null : now.plus(welcome.lifetime()),
                        "Welcome credits", now));
            }
        });
    }

    private boolean insertIfAbsent(String accountId, Instant now) {
        return jdbc.sql("""
                insert into accounts (account_id, created_at)
                select :id, :now where not exists (select 1 from accounts where account_id = :id)
                on conflict do nothing""")
                .param("id", accountId).param("now", Timestamp.from(now)).update() == 1;
    }

    /**
     * Releases what expired holds reserved ({@code HoldExpiry}), in the caller's transaction; a void
     * releases its hold in its own one statement ({@code TurnStore.voidIfOpen}).
     */
    public void releaseHold(String accountId, long holdMillicredits) {
        jdbc.sql("update accounts set held_millicredits = held_millicredits - :hold where account_id = :id")
                .param("hold", holdMillicredits).param("id", accountId).update();
    }

    /** The player's own cap on paid spending per UTC day ({@code null} removes it). */
    public void setDailyLimit(String accountId, Long limitMillicredits) {
        jdbc.sql("update accounts set daily_spend_limit_millicredits = :limit where account_id = :accountId")
                .param("limit", limitMillicredits).param("accountId", accountId).update();
    }

    /**
     * The account's own low-balance threshold ({@code null}: the global default), in the caller's
     * transaction; returns the available balance read under the account row's lock, taken first.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public long setLowBalanceThreshold(String accountId, Long lowBalanceMillicredits) {
        long available = jdbc.sql("""
                select balance_millicredits - held_millicredits from accounts where account_id = :accountId
                   for no key update""")
                .param("accountId", accountId).query(Long.class).single();
        jdbc.sql("update accounts set low_balance_millicredits = :own where account_id = :accountId")
                .param("own", lowBalanceMillicredits).param("accountId", accountId).update();
        return available;
    }

    /** The columns of an {@link AccountRow}, for selects and for {@code returning} clauses elsewhere. */
    static final String ROW_COLUMNS = """
            account_id, balance_millicredits, held_millicredits, free_turns_day, free_turns_used,
            daily_spend_limit_millicredits, spend_day, spent_on_spend_day_millicredits""";

    public Optional<AccountRow> find(String accountId) {
        return jdbc.sql("select " + ROW_COLUMNS + " from accounts where account_id = :id")
                .param("id", accountId)
                .query(Accounts::mapRow)
                .optional();
    }

    public static AccountRow mapRow(ResultSet rs, int rowNum) throws SQLException {
        return new AccountRow(
                rs.getString("account_id"),
                rs.getLong("balance_millicredits"),
                rs.getLong("held_millicredits"),
                rs.getObject("free_turns_day", LocalDate.class),
                rs.getInt("free_turns_used"),
                (Long) rs.getObject("daily_spend_limit_millicredits"),
                rs.getObject("spend_day", LocalDate.class),
                rs.getLong("spent_on_spend_day_millicredits"));
    }

    /** The stored state of an account; day-scoped counters are read through the helpers below. */
    public record AccountRow(
            String accountId,
            long balanceMillicredits,
            long heldMillicredits,
            LocalDate freeTurnsDay,
            int freeTurnsUsed,
            Long dailySpendLimitMillicredits,
            LocalDate spendDay,
            long spentOnSpendDayMillicredits) {

        public long availableMillicredits() {
            return balanceMillicredits - heldMillicredits;
        }

        int freeTurnsUsedOn(LocalDate day) {
            return day.equals(freeTurnsDay) ? freeTurnsUsed : 0;
        }

        public long spentOn(LocalDate day) {
            return day.equals(spendDay) ? spentOnSpendDayMillicredits : 0;
        }
    }
}
