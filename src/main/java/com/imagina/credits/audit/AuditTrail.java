package com.imagina.credits.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.imagina.credits.system.ServiceClock;
import com.imagina.credits.system.security.Caller;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.Timestamp;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Records admin actions in {@code audit_log}. Features call {@link #applied} from inside the
 * transaction of the action (adjustments, refunds, hold releases, grants...), so the row commits with
 * the money it explains; {@link AdminAuditFilter} records what no feature recorded, and every refusal.
 */
@Component
public class AuditTrail {
    /** Request attribute set once a row for the current request is written in its transaction. */
    static final String RECORDED = AuditTrail.class.getName() + ".recorded";
    /** Request attribute: the account an admin call turned out to be about, for a row the filter writes. */
    static final String ACCOUNT = AuditTrail.class.getName() + ".account";
    static final int MAX_TEXT = 8_000;

    private final JdbcClient jdbc;
    private final ServiceClock clock;
    private final ObjectMapper json;
    private final TransactionTemplate ownTransaction;

    AuditTrail(JdbcClient jdbc, ServiceClock clock, ObjectMapper json, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.json = json;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** One row: who did what to which account, what was asked, why, and what came of it. */
    public record Entry(String actor, String action, String accountId, JsonNode request, String reason,
            Outcome outcome, int status, String detail) {}

    /**
     * What came of an admin action, as {@code audit_log.outcome} holds it (the wire name); mapped only where
     * the row is written. The audit log's reader shows the stored word as written.
     */
    public enum Outcome {
        /** It took effect. */
        APPLIED,
        /** An idempotent replay: answered as before, nothing moved again. */
        REPLAYED,
        /** Refused with a 4xx (recorded by {@link AdminAuditFilter}). */
        REFUSED,
        /** Failed with a 5xx (recorded by {@link AdminAuditFilter}). */
        FAILED,
        /** A long action began (a payout run by hand); a second row says how it ended. */
        STARTED;

        String wireName() {
            return name().toLowerCase();
        }
    }

    /**
     * An action that took effect, recorded in the caller's transaction (call it there, next to the
     * ledger post). The actor is the calling token's {@code sub}; the request is the current HTTP
     * request's method and path with {@code body} (any JSON-serializable object).
     */
    public void applied(String action, String accountId, Object body, String reason, int status, String detail) {
        record(new Entry(Caller.current().accountId(), action, accountId, describe(body), reason, Outcome.APPLIED, status,
                detail));
    }

    /** A replay of an idempotent action: nothing moved this time. */
    public void replayed(String action, String accountId, Object body, String reason, int status) {
        record(new Entry(Caller.current().accountId(), action, accountId, describe(body), reason, Outcome.REPLAYED, status,
                "The same request was answered before; nothing moved again."));
    }

    /** Writes the row in the current transaction (or on its own when there is none). */
    public void record(Entry e) {
        jdbc.sql("""
                insert into audit_log (at, actor, action, account_id, request, reason, outcome, status, detail)
                values (:at, :actor, :action, :account, cast(:request as jsonb), :reason, :outcome, :status, :detail)""")
                .param("at", Timestamp.from(clock.now()))
                .param("actor", e.actor())
                .param("action", e.action())
                .param("account", e.accountId())
                .param("request", e.request().toString())
                .param("reason", truncate(e.reason()))
                .param("outcome", e.outcome().wireName())
                .param("status", e.status())
                .param("detail", truncate(e.detail()))
                .update();
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes != null) {
            attributes.setAttribute(RECORDED, Boolean.TRUE, RequestAttributes.SCOPE_REQUEST);
        }
    }

    /**
     * Names the account the current admin call is about when neither its body nor its path does (a turn's
     * hold release): a refusal recorded by {@link AdminAuditFilter} is then found under that account too.
     */
    public void about(String accountId) {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes != null && accountId != null) {
            attributes.setAttribute(ACCOUNT, accountId, RequestAttributes.SCOPE_REQUEST);
        }
    }

    /** The current request's {@code Audit-Reason} header (the console's reason for actions whose body has none). */
    public String headerReason() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes s) {
            String reason = s.getRequest().getHeader("Audit-Reason");
            return reason == null || reason.isBlank() ? null : reason.strip();
        }
        return null;
    }

    /** Writes the row in a transaction of its own: for refusals, whose action rolled back. */
    void recordAlone(Entry e) {
        ownTransaction.executeWithoutResult(status -> record(e));
    }

    /** {"method","path","body"} of the current request, with the given body. */
    public JsonNode describe(Object body) {
        ObjectNode node = json.createObjectNode();
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes s) {
            HttpServletRequest request = s.getRequest();
            node.put("method", request.getMethod());
            node.put("path", request.getRequestURI());
        }
        node.set("body", body == null ? json.nullNode() : json.valueToTree(body));
        return node;
    }

    static String truncate(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }
}
