package com.imagina.credits.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.imagina.credits.system.security.Caller;
import com.imagina.credits.system.security.Role;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingRequestWrapper;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Records every admin call that may change something (any method but GET/HEAD/OPTIONS under
 * {@code /api/v1/admin/}) that the action did not record itself in its own transaction, and every
 * refused or failed one: after the answer, in a transaction of its own. It runs after Spring Security,
 * so only admin tokens reach it; calls refused for want of a token or role leave no row (they did
 * nothing and anybody could flood the table with them).
 */
class AdminAuditFilter extends OncePerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger(AdminAuditFilter.class);
    private static final int MAX_BODY = 64 * 1024;

    /** Action names of the admin calls, by method and path; anything else is named by its method and path. */
    private record Named(String method, Pattern path, String action) {}

    private static final List<Named> ACTIONS = List.of(
            new Named("POST", Pattern.compile("/api/v1/admin/adjustments"), "adjustment"),
            new Named("POST", Pattern.compile("/api/v1/admin/grants"), "grant"),
            new Named("POST", Pattern.compile("/api/v1/admin/refunds"), "refund"),
            new Named("POST", Pattern.compile("/api/v1/admin/turns/[^/]+/release"), "hold_release"),
            new Named("PUT", Pattern.compile("/api/v1/admin/models/[^/]+"), "model_change"),
            new Named("POST", Pattern.compile("/api/v1/admin/clock"), "clock_set"),
            new Named("POST", Pattern.compile("/api/v1/admin/payouts"), "payout_run"),
            new Named("POST", Pattern.compile("/api/v1/admin/calibration"), "calibration"),
            new Named("POST", Pattern.compile("/api/v1/admin/webhook-endpoints"), "webhook_endpoint_create"),
            new Named("DELETE", Pattern.compile("/api/v1/admin/webhook-endpoints/[^/]+"), "webhook_endpoint_delete"),
            new Named("POST", Pattern.compile("/api/v1/admin/webhook-endpoints/[^/]+/deliveries/[^/]+/resend"),
                    "webhook_resend"));
    private static final Pattern ACCOUNT_IN_PATH = Pattern.compile("/api/v1/admin/accounts/([^/]+)(/.*)?");

    private final AuditTrail trail;
    private final ObjectMapper json;

    AdminAuditFilter(AuditTrail trail, ObjectMapper json) {
        this.trail = trail;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String method = request.getMethod();
        return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")
                || !request.getRequestURI().startsWith("/api/v1/admin/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ContentCachingRequestWrapper req = new ContentCachingRequestWrapper(request, MAX_BODY);
        ContentCachingResponseWrapper res = new ContentCachingResponseWrapper(response);
        try {
            chain.doFilter(req, res);
        } finally {
            try {
                recordIfNeeded(req, res);
            } catch (RuntimeException e) {
                // The answer stands; a refusal that cannot be recorded (the database is down) is logged.
                log.error("Could not record admin call {} {} ({}) in the audit log: {}", request.getMethod(),
                        request.getRequestURI(), res.getStatus(), e.toString());
            }
            res.copyBodyToResponse();
        }
    }

    private void recordIfNeeded(ContentCachingRequestWrapper req, ContentCachingResponseWrapper res) {
        int status = res.getStatus();
        boolean recorded = Boolean.TRUE.equals(req.getAttribute(AuditTrail.RECORDED));
        if (recorded && status < 400) return;
        if (!(SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken)) return;
        Caller caller = Caller.current();
        if (!caller.is(Role.ADMIN)) return;

        JsonNode body = body(req.getContentAsByteArray());
        String accountId = text(body, "accountId");
        Matcher inPath = ACCOUNT_IN_PATH.matcher(req.getRequestURI());
        if (accountId == null && inPath.matches()) accountId = inPath.group(1);
        if (accountId == null && req.getAttribute(AuditTrail.ACCOUNT) instanceof String about) accountId = about;
        String reason = text(body, "reason");
        if (reason == null) reason = req.getHeader("Audit-Reason");
        ObjectNode request = json.createObjectNode();
        request.put("method", req.getMethod());
        request.put("path", req.getRequestURI());
        if (req.getQueryString() != null) request.put("query", AuditTrail.truncate(req.getQueryString()));
        request.set("body", body);
        AuditTrail.Outcome outcome = status >= 500 ? AuditTrail.Outcome.FAILED
                : status >= 400 ? AuditTrail.Outcome.REFUSED : AuditTrail.Outcome.APPLIED;
        String detail = status >= 400 ? problem(res.getContentAsByteArray()) : null;
        trail.recordAlone(new AuditTrail.Entry(caller.accountId(), action(req.getMethod(), req.getRequestURI()),
                accountId, request, reason, outcome, status, detail));
    }

    static String action(String method, String path) {
        for (Named n : ACTIONS) {
            if (n.method().equals(method) && n.path().matcher(path).matches()) return n.action();
        }
        return method + " " + path;
    }

    private JsonNode body(byte[] bytes) {
        if (bytes.length == 0) return json.nullNode();
        String text = new String(bytes, StandardCharsets.UTF_8);
        try {
            JsonNode node = json.readTree(text);
            return node == null ? json.nullNode() : node;
        } catch (IOException | RuntimeException notJson) {
            return json.getNodeFactory().textNode(AuditTrail.truncate(text));
        }
    }

    /** "code: detail" of a problem+json answer, else the start of whatever was answered. */
    private String problem(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        try {
            JsonNode p = json.readTree(text);
            if (p != null && p.isObject()) {
                return p.path("code").asText("") + ": " + p.path("detail").asText("");
            }
        } catch (IOException | RuntimeException notJson) {
            // fall through
        }
        return AuditTrail.truncate(text);
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body == null ? null : body.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {
        @Bean
        FilterRegistrationBean<AdminAuditFilter> adminAuditFilter(AuditTrail trail, ObjectMapper json) {
            FilterRegistrationBean<AdminAuditFilter> bean = new FilterRegistrationBean<>(new AdminAuditFilter(trail, json));
            bean.addUrlPatterns("/api/v1/admin/*");
            bean.setName("adminAuditFilter");
            return bean;
        }
    }
}
