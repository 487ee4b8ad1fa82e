package com.imagina.credits.system.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.imagina.credits.system.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.WebUtils;

/**
 * Applies {@link InputChecks} to every request, after Spring Security (a caller without the role for an
 * endpoint learns nothing from its input rules) and after {@link BodyLimitFilter} (the body is complete
 * and in memory): 400 {@code invalid_request}, before any endpoint runs.
 */
class InputChecksFilter extends OncePerRequestFilter {
    private final ObjectMapper json;

    InputChecksFilter(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String wrong = InputChecks.query(request.getQueryString());
        if (wrong == null) wrong = InputChecks.path(request.getRequestURI());
        BodyLimitFilter.CachedBodyRequest cached = WebUtils.getNativeRequest(request, BodyLimitFilter.CachedBodyRequest.class);
        if (wrong == null && cached != null && isJson(request)) {
            // The Stripe webhook's fields are Stripe's: only NULs and duplicate keys are refused there.
            boolean ids = !HttpLimits.WEBHOOK_PATH.equals(request.getRequestURI());
            wrong = InputChecks.body(cached.getInputStream(), ids);
        }
        if (wrong != null) {
            ProblemResponses.write(response, json, HttpStatus.BAD_REQUEST, "invalid_request", wrong);
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isJson(HttpServletRequest request) {
        String type = request.getContentType();
        return type == null || type.toLowerCase().contains("json");
    }
}
