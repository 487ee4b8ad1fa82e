package com.imagina.credits.payments;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.checkout.Session;
import com.stripe.param.checkout.SessionCreateParams;
import com.stripe.param.checkout.SessionCreateParams.LineItem;
import com.stripe.param.checkout.SessionCreateParams.LineItem.PriceData;
import com.stripe.param.checkout.SessionCreateParams.LineItem.PriceData.ProductData;

/**
 * Creates real Checkout Sessions through stripe-java. The client is this instance's own (its key,
 * its API base), never the library's global {@code Stripe.apiKey}, so tests can point one at a stub.
 */
class StripeCheckout {
    private final StripeClient client;

    StripeCheckout(StripeClient client) {
        this.client = client;
    }

    Session create(Pack pack, String accountId, String baseUrl) throws StripeException {
        return client.v1().checkout().sessions().create(params(pack, accountId, baseUrl));
    }

    /** One pack, paid once: the price inline, the buyer and pack in the reference and metadata. */
    static SessionCreateParams params(Pack pack, String accountId, String baseUrl) {
        return SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .setClientReferenceId(accountId)
                .putMetadata("packId", pack.id())
                .putMetadata("accountId", accountId)
                .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder()
                        .putMetadata("packId", pack.id())
                        .putMetadata("accountId", accountId)
                        .build())
                .addLineItem(LineItem.builder()
                        .setQuantity(1L)
                        .setPriceData(PriceData.builder()
                                .setCurrency(pack.currency())
                                .setUnitAmount(pack.priceCents())
                                .setProductData(ProductData.builder().setName(pack.name() + " credit pack").build())
                                .build())
                        .build())
                .setSuccessUrl(baseUrl + "/buy/success?session_id={CHECKOUT_SESSION_ID}")
                .setCancelUrl(baseUrl + "/buy/cancel")
                .build();
    }
}
