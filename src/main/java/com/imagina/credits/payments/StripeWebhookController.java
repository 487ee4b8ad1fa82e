package com.imagina.credits.payments;

import java.nio.charset.StandardCharsets;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/stripe/webhook}: authenticated by its {@code Stripe-Signature}, not a token.
 * The body is taken as raw bytes so the signature is checked over exactly what Stripe sent.
 */
@RestController
class StripeWebhookController {
    private final StripeWebhooks webhooks;

    StripeWebhookController(StripeWebhooks webhooks) {
        this.webhooks = webhooks;
    }

    @PostMapping("/api/v1/stripe/webhook")
    StripeWebhooks.Receipt receive(@RequestBody(required = false) byte[] body,
            @RequestHeader(name = "Stripe-Signature", required = false) String signature) {
        String payload = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        return webhooks.receive(payload, signature);
    }
}
