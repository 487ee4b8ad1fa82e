package com.imagina.credits.pricing;

import com.imagina.credits.system.ApiException;
import org.springframework.http.HttpStatus;

/** Model prices an admin sent that cannot be charged at; the message names the field ({@code prices.outputUsdPerMTok}). */
class InvalidPricesException extends ApiException {
    InvalidPricesException(String detail) {
        super(HttpStatus.BAD_REQUEST, "invalid_request", detail);
    }
}
