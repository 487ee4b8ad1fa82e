package com.imagina.credits.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.ledger.Accounts;
import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.JsonText;
import com.imagina.credits.system.security.Caller;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An account's low-balance alert ({@code GET}/{@code PUT /api/v1/accounts/{id}/alerts}: the player or
 * the engine, or an admin) and its events from the outbox ({@code GET /api/v1/accounts/{id}/events?after=}),
 * which the live dashboard polls.
 */
@RestController
@RequestMapping("/api/v1/accounts")
class AccountEventsController {
    static final long MAX_THRESHOLD = 1_000_000_000_000L;
    static final int MAX_LIMIT = 100;

    private final LowBalanceAlerts alerts;
    private final Accounts accounts;
    private final JdbcClient jdbc;
    private final JsonText json;

    AccountEventsController(LowBalanceAlerts alerts, Accounts accounts, JdbcClient jdbc, JsonText json) {
        this.alerts = alerts;
        this.accounts = accounts;
        this.jdbc = jdbc;
        this.json = json;
    }

    @GetMapping("/{accountId}/alerts")
    LowBalanceAlerts.AlertView get(@PathVariable String accountId) {
        String id = checkedId(Caller.current().requireAccountAccess(accountId));
        accounts.ensure(id);
        return alerts.view(id).orElseThrow();
    }

    /** {@code {"lowBalanceMillicredits": N | null}}; null: the global default applies. The key must be present. */
    @PutMapping("/{accountId}/alerts")
    LowBalanceAlerts.AlertView put(@PathVariable String accountId, @RequestBody Map<String, Object> body) {
        String id = checkedId(Caller.current().requireAccountAccess(accountId));
        if (body == null || body.size() != 1 || !body.containsKey("lowBalanceMillicredits")) {
            throw ApiException.badRequest("Body must be {\"lowBalanceMillicredits\": <millicredits or null>}.");
        }
        Object value = body.get("lowBalanceMillicredits");
        Long threshold;
        if (value == null) {
            threshold = null;
        } else if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() >= 0
                && ((Number) value).longValue() <= MAX_THRESHOLD) {
            threshold = ((Number) value).longValue();
        } else {
            throw ApiException.badRequest("lowBalanceMillicredits must be a whole number of millicredits from 0 to "
                    + MAX_THRESHOLD + ", or null.");
        }
        accounts.ensure(id);
        return alerts.set(id, threshold).orElseThrow();
    }

    /** One event as a webhook delivers it. */
    record EventView(String id, String type, Instant createdAt, String accountId, long sequence, JsonNode data) {}

    record EventPage(List<EventView> items, long lastSequence) {}

    /** The account's events after sequence {@code after}, oldest first; {@code lastSequence} is where to go on. */
    @GetMapping("/{accountId}/events")
    EventPage events(@PathVariable String accountId, @RequestParam(defaultValue = "0") long after,
            @RequestParam(defaultValue = "50") int limit) {
        String id = checkedId(Caller.current().requireAccountAccess(accountId));
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
        long last = items.isEmpty()
                ? jdbc.sql("select coalesce((select last_sequence from event_sequences where account_id = :id), 0)")
                        .param("id", id).query(Long.class).single()
                : items.get(items.size() - 1).sequence();
        return new EventPage(items, last);
    }

    static String checkedId(String id) {
        if (id == null || id.isBlank() || id.length() > 200) {
            throw ApiException.badRequest("Account ids are 1 to 200 characters.");
        }
        return id;
    }
}
