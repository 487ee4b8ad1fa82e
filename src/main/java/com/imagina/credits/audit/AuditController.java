package com.imagina.credits.audit;

import com.imagina.credits.system.db.Rows;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.security.Caller;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/admin/audit?actor=&accountId=&from=&to=&cursor=&limit=}: the audit trail, newest
 * first. {@code from}/{@code to} are instants or UTC days ({@code to} a day means through its end).
 * The cursor is the last row seen, opaque to clients.
 */
@RestController
class AuditController {
    private static final int MAX_LIMIT = 200;

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    AuditController(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    record Item(long id, Instant at, String actor, String action, String accountId, JsonNode request, String reason,
            String outcome, int status, String detail) {}

    record Page(List<Item> items, String nextCursor) {}

    @GetMapping("/api/v1/admin/audit")
    Page audit(@RequestParam(required = false) String actor, @RequestParam(required = false) String accountId,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) String cursor, @RequestParam(defaultValue = "50") int limit) {
        Caller.current().requireAdmin();
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("limit must be between 1 and " + MAX_LIMIT + ".");
        }
        Instant fromAt = instant(from, "from", false);
        Instant toAt = instant(to, "to", true);
        Long before = cursor == null || cursor.isEmpty() ? null : decode(cursor);
        List<Item> rows = jdbc.sql("""
                select audit_id, at, actor, action, account_id, request::text as request, reason, outcome, status, detail
                  from audit_log
                 where (cast(:actor as text) is null or actor = cast(:actor as text))
                   and (cast(:account as text) is null or account_id = cast(:account as text))
                   and (cast(:from as timestamptz) is null or at >= cast(:from as timestamptz))
                   and (cast(:to as timestamptz) is null or at < cast(:to as timestamptz))
                   and (cast(:before as bigint) is null or audit_id < cast(:before as bigint))
                 order by audit_id desc limit :limit""")
                .param("actor", blankToNull(actor)).param("account", blankToNull(accountId))
                .param("from", fromAt == null ? null : Timestamp.from(fromAt))
                .param("to", toAt == null ? null : Timestamp.from(toAt))
                .param("before", before).param("limit", limit + 1)
                .query((rs, n) -> new Item(rs.getLong("audit_id"), Rows.instant(rs, "at"), rs.getString("actor"),
                        rs.getString("action"), rs.getString("account_id"), read(rs.getString("request")),
                        rs.getString("reason"), rs.getString("outcome"), rs.getInt("status"), rs.getString("detail")))
                .list();
        if (rows.size() > limit) {
            List<Item> items = rows.subList(0, limit);
            return new Page(List.copyOf(items), encode(items.get(limit - 1).id()));
        }
        return new Page(rows, null);
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (java.io.IOException e) {
            return json.getNodeFactory().textNode(text);
        }
    }

    /** An instant, or a UTC day: its start, or for {@code to} the start of the next day. */
    static Instant instant(String value, String name, boolean endOfDay) {
        if (value == null || value.isBlank()) return null;
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notInstant) {
            try {
                LocalDate day = LocalDate.parse(value);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDay) {
                throw ApiException.badRequest(name + " must be an instant (2026-11-24T10:00:00Z) or a UTC day (2026-11-24).");
            }
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static String encode(long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("a1:" + id).getBytes(StandardCharsets.UTF_8));
    }

    static long decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!text.startsWith("a1:")) throw new IllegalArgumentException();
            return Long.parseLong(text.substring(3));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("The cursor is not one this service gave out.");
        }
    }
}
