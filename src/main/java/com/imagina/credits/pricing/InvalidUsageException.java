package com.imagina.credits.pricing;

import com.imagina.credits.system.ApiException;
import org.springframework.http.HttpStatus;

/**
 * A settle body whose usage cannot be billed: no form or two forms, a count that is not a whole
 * number in [0, 10,000,000], or counts that contradict each other. The message names the offending
 * fields by their JSON path ({@code openaiUsage.prompt_tokens_details.cached_tokens}) because the
 * engine's developers read it in a 400 {@code invalid_request}; the turn stays open.
 */
class InvalidUsageException extends ApiException {
    InvalidUsageException(String detail) {
        super(HttpStatus.BAD_REQUEST, "invalid_request", detail);
    }
}
