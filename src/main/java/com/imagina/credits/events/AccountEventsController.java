package com.imagina.credits.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.JsonText;
import com.imagina.credits.system.security.Caller;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/accounts/{id}/events?after=<sequence>&limit=}: the account's events from the outbox,
 * oldest first, as a webhook delivers them, with the balance as it is now (turn settlements are no events,
 * yet the dashboard shows them), for the live dashboard that polls it. The player for its own account,
 * the engine, an admin. Two index reads; nothing is written.
 */
@RestController
@RequestMapping("/api/v1/accounts")
class AccountEventsController {
    static final int MAX_LIMIT = 100;

    private final JdbcClient jdbc;
    private final JsonText json;

    AccountEventsController(JdbcClient jdbc, JsonText json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    record EventView(String id, String type, Instant createdAt, String accountId, long sequence, JsonNode data) {}

    /**
     * {@code lastSequence}: where to go on from ({@code after} of the next poll); {@code headSequence}: the
     * account's latest event now (a page that only wants news starts there). {@code lowBalanceMillicredits}:
     * the threshold that applies (null: none); {@code lowBalance}: the available balance is below it now.
     */
    record EventPage(List<EventView> items, long lastSequence, long headSequence, long balanceMillicredits,
            long availableMillicredits, Long lowBalanceMillicredits, boolean lowBalance) {}

    @GetMapping("/{accountId}/events")
    EventPage events(@PathVariable String accountId, @RequestParam(defaultValue = "0") long after,
            @RequestParam(defaultValue = "50") int limit) {
        String id = Caller.current().requireAccountAccess(accountId);
        if (id == null || id.isBlank() || id.length() > 200) {
            throw ApiException.badRequest("Account ids are 1 to 200 characters.");
        }
        if (after < 0 || limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("after must be ≥ 0 and limit 1.." + MAX_LIMIT + ".");
        }
        List<EventView> items = jdbc.sql("""
                select event_id, type, created_at, account_id, sequence, data::text as data from events
                 where account_id = :id and sequence > :after order by sequence limit :limit""")
                .param("id", id).param("after", after).param("limit", limit)
                .query((rs, n) -> new EventView(rs.getString("event_id"), rs.getString("type"),
                        rs.getTimestamp("created_at").toInstant(), rs.getString("account_id"), rs.getLong("sequence"),
                        json.tree(rs.getString("data"))))
                .list();
        return jdbc.sql("""
                select coalesce((select last_sequence from event_sequences where account_id = :id), 0) as last_sequence,
                       a.balance_millicredits, a.held_millicredits,
                       coalesce(a.low_balance_millicredits, d.low_balance_millicredits) as threshold
                  from alert_settings d
                  left join accounts a on a.account_id = :id
                 where d.id = 1""")
                .param("id", id)
                .query((rs, n) -> {
                    long last = items.isEmpty() ? after : items.get(items.size() - 1).sequence();
                    long balance = rs.getLong("balance_millicredits");
                    long available = balance - rs.getLong("held_millicredits");
                    Long threshold = (Long) rs.getObject("threshold");
                    return new EventPage(items, last, rs.getLong("last_sequence"), balance, available, threshold,
                            threshold != null && available < threshold);
                })
                .single();
    }
}
