package com.imagina.credits.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.imagina.credits.support.Api;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class StripeWebhookApiTest extends PaymentsApiTestBase {
    static final long LARGE = 27_500_000;
    static final long MEDIUM = 10_500_000;

    @Test
    void badMissingAndStaleSignaturesAreRefusedAndChangeNothing() {
        String acct = id("u");
        String sessionId = checkout(acct, "pack-large");
        ObjectNode event = StripeTestEvents.completed(sessionId, acct, "pack-large", 2500, paymentIntent());
        String payload = StripeTestEvents.payload(event);
        long now = Instant.now().getEpochSecond();

        List<Api.Response> refused = List.of(
                deliver(payload, StripeTestEvents.sign(payload, "whsec_someone_else")),
                deliver(payload.replace("\"amount_total\" : 2500", "\"amount_total\" : 1"),
                        StripeTestEvents.sign(payload, secret())),
                deliver(payload, StripeTestEvents.sign(payload, secret(), now - 301)),
                deliver(payload, StripeTestEvents.sign(payload, secret(), now - 3600)),
                deliver(payload, null),
                deliver(payload, ""),
                deliver(payload, "t=" + now),
                deliver(payload, "garbage"),
                deliver(payload, StripeTestEvents.sign(payload, secret()).replace("v1=", "v0=")));
        for (Api.Response r : refused) {
            assertThat(r.status()).as(r.toString()).isEqualTo(400);
            assertThat(r.contentType()).contains("application/problem+json");
            assertThat(r.json().get("code").asText()).isEqualTo("invalid_signature");
            assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(outcome(event.get("id").asText())).isNull();
        assertThat(balance(acct)).isZero();
        assertThat(session(sessionId).get("status").asText()).isEqualTo("open");

        // Just inside the tolerance it verifies; the signature scheme is Stripe's.
        Api.Response ok = deliver(payload, StripeTestEvents.sign(payload, secret(), now - 240));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(balance(acct)).isEqualTo(LARGE);
        assertReconciled();
    }

    @Test
    void aSignedPayloadThatIsNotAnEventIsABadRequest() {
        Api.Response r = deliver("{not json", StripeTestEvents.sign("{not json", secret()));
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("code").asText()).isEqualTo("invalid_request");
    }

    @Test
    void duplicateDeliveryGrantsOnce() {
        String acct = id("u");
        String sessionId = checkout(acct, "pack-large");
        ObjectNode event = StripeTestEvents.completed(sessionId, acct, "pack-large", 2500, paymentIntent());
        String payload = StripeTestEvents.payload(event);

        JsonNode first = deliver(event);
        assertThat(first.get("outcome").asText()).isEqualTo("granted");
        assertThat(first.get("duplicate").asBoolean()).isFalse();
        // Stripe retries with a fresh signature (new timestamp) over the same payload.
        Api.Response again = deliver(payload, StripeTestEvents.sign(payload, secret(), Instant.now().getEpochSecond() - 5));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("outcome").asText()).isEqualTo("duplicate");
        assertThat(again.json().get("duplicate").asBoolean()).isTrue();

        assertThat(balance(acct)).isEqualTo(LARGE);
        assertThat(amounts(acct, "purchase")).containsExactly(LARGE);
        JsonNode s = session(sessionId);
        assertThat(s.get("status").asText()).isEqualTo("paid");
        assertThat(s.get("grantedMillicredits").asLong()).isEqualTo(LARGE);
        assertThat(s.get("grantMillicredits").asLong()).isEqualTo(25_000_000);
        assertThat(s.get("bonusMillicredits").asLong()).isEqualTo(2_500_000);
        assertReconciled();
    }

    @Test
    void theSameSessionUnderDifferentEventIdsGrantsOnce() {
        String acct = id("u");
        String sessionId = checkout(acct, "pack-medium");
        String pi = paymentIntent();
        ObjectNode completed = StripeTestEvents.completed(sessionId, acct, "pack-medium", 1000, pi);
        ObjectNode resent = completed.deepCopy().put("id", StripeTestEvents.eventId());
        ObjectNode async = StripeTestEvents.sessionEvent("checkout.session.async_payment_succeeded", sessionId, acct,
                "pack-medium", 1000, "usd", "paid", pi);

        assertThat(deliver(completed).get("outcome").asText()).isEqualTo("granted");
        assertThat(deliver(resent).get("outcome").asText()).isEqualTo("already_granted");
        assertThat(deliver(async).get("outcome").asText()).isEqualTo("already_granted");
        assertThat(balance(acct)).isEqualTo(MEDIUM);
        assertThat(ledgerEntries(sessionId)).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from stripe_events where session_id = :s").param("s", sessionId)
                .query(Long.class).single()).isEqualTo(3);
        assertReconciled();
    }

    @Test
    void twentyConcurrentDeliveriesOfOneEventGrantOnce() throws Exception {
        String acct = id("u");
        String sessionId = checkout(acct, "pack-large");
        ObjectNode event = StripeTestEvents.completed(sessionId, acct, "pack-large", 2500, paymentIntent());
        String payload = StripeTestEvents.payload(event);
        String header = StripeTestEvents.sign(payload, secret());

        List<Api.Response> responses = concurrently(20, i -> deliver(payload, header));
        long granted = responses.stream().filter(r -> r.json().get("outcome").asText().equals("granted")).count();
        assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
        assertThat(granted).isEqualTo(1);
        assertThat(responses.stream().filter(r -> r.json().get("duplicate").asBoolean()).count()).isEqualTo(19);
        assertThat(balance(acct)).isEqualTo(LARGE);
        assertThat(ledgerEntries(sessionId)).isEqualTo(1);
        assertReconciled();
    }

    @Test
    void twentyConcurrentEventsAboutOneSessionGrantOnce() throws Exception {
        String acct = id("u");
        String sessionId = checkout(acct, "pack-medium");
        String pi = paymentIntent();
        List<Api.Response> responses = concurrently(20, i -> {
            ObjectNode event = i % 2 == 0
                    ? StripeTestEvents.completed(sessionId, acct, "pack-medium", 1000, pi)
                    : StripeTestEvents.sessionEvent("checkout.session.async_payment_succeeded", sessionId, acct,
                            "pack-medium", 1000, "usd", "paid", pi);
            String payload = StripeTestEvents.payload(event);
            return deliver(payload, StripeTestEvents.sign(payload, secret()));
        });
        assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
        assertThat(responses.stream().filter(r -> r.json().get("outcome").asText().equals("granted")).count())
                .isEqualTo(1);
        assertThat(balance(acct)).isEqualTo(MEDIUM);
        assertReconciled();
    }

    @Test
    void anAmountOrCurrencyMismatchGrantsNothingAndIsRecordedForReview() {
        String acct = id("u");
        String cheap = checkout(acct, "pack-large");
        ObjectNode underpaid = StripeTestEvents.completed(cheap, acct, "pack-large", 2499, paymentIntent());
        JsonNode r = deliver(underpaid);
        assertThat(r.get("outcome").asText()).isEqualTo("review");
        JsonNode s = session(cheap);
        assertThat(s.get("status").asText()).isEqualTo("review");
        assertThat(s.get("reviewReason").asText()).contains("amount_total 2499").contains("2500");
        assertThat(s.get("grantedMillicredits").asLong()).isZero();
        // A later, correct-looking event about the same session does not release it.
        ObjectNode later = StripeTestEvents.completed(cheap, acct, "pack-large", 2500, paymentIntent());
        assertThat(deliver(later).get("outcome").asText()).isEqualTo("in_review");

        String euro = checkout(acct, "pack-large");
        ObjectNode wrongCurrency = StripeTestEvents.sessionEvent("checkout.session.completed", euro, acct,
                "pack-large", 2500, "eur", "paid", paymentIntent());
        assertThat(deliver(wrongCurrency).get("outcome").asText()).isEqualTo("review");
        assertThat(session(euro).get("reviewReason").asText()).contains("currency eur");

        String other = checkout(acct, "pack-small");
        ObjectNode someoneElse = StripeTestEvents.completed(other, id("mallory"), "pack-small", 500, paymentIntent());
        assertThat(deliver(someoneElse).get("outcome").asText()).isEqualTo("review");

        assertThat(balance(acct)).isZero();
        Api.Response events = api.get("/api/v1/admin/stripe-events?sessionId=" + cheap, api.admin());
        assertThat(events.status()).isEqualTo(200);
        assertThat(events.json().get("items")).hasSize(2);
        assertThat(events.json().at("/items/1/outcome").asText()).isEqualTo("review");
        assertThat(events.json().at("/items/1/detail").asText()).contains("review");
        assertReconciled();
    }

    @Test
    void anUnpaidCompletionWaitsForTheAsyncSuccess() {
        String acct = id("u");
        String sessionId = checkout(acct, "pack-medium");
        String pi = paymentIntent();
        ObjectNode unpaid = StripeTestEvents.sessionEvent("checkout.session.completed", sessionId, acct,
                "pack-medium", 1000, "usd", "unpaid", pi);
        assertThat(deliver(unpaid).get("outcome").asText()).isEqualTo("awaiting_payment");
        assertThat(balance(acct)).isZero();
        assertThat(session(sessionId).get("status").asText()).isEqualTo("pending");

        ObjectNode succeeded = StripeTestEvents.sessionEvent("checkout.session.async_payment_succeeded", sessionId,
                acct, "pack-medium", 1000, "usd", "paid", pi);
        assertThat(deliver(succeeded).get("outcome").asText()).isEqualTo("granted");
        assertThat(balance(acct)).isEqualTo(MEDIUM);
        assertThat(session(sessionId).get("status").asText()).isEqualTo("paid");
        assertReconciled();
    }

    @Test
    void anAsyncSuccessBeforeItsCompletionStillGrantsOnce() {
        String acct = id("u");
        String sessionId = checkout(acct, "pack-medium");
        String pi = paymentIntent();
        ObjectNode succeeded = StripeTestEvents.sessionEvent("checkout.session.async_payment_succeeded", sessionId,
                acct, "pack-medium", 1000, "usd", "paid", pi);
        ObjectNode unpaid = StripeTestEvents.sessionEvent("checkout.session.completed", sessionId, acct,
                "pack-medium", 1000, "usd", "unpaid", pi);
        assertThat(deliver(succeeded).get("outcome").asText()).isEqualTo("granted");
        assertThat(deliver(unpaid).get("outcome").asText()).isEqualTo("already_granted");
        assertThat(session(sessionId).get("status").asText()).isEqualTo("paid");
        assertThat(balance(acct)).isEqualTo(MEDIUM);
        assertReconciled();
    }

    @Test
    void aFailedAsyncPaymentGrantsNothing() {
        String acct = id("u");
        String sessionId = checkout(acct, "pack-small");
        ObjectNode failed = StripeTestEvents.sessionEvent("checkout.session.async_payment_failed", sessionId, acct,
                "pack-small", 500, "usd", "unpaid", paymentIntent());
        assertThat(deliver(failed).get("outcome").asText()).isEqualTo("failed");
        assertThat(session(sessionId).get("status").asText()).isEqualTo("failed");
        assertThat(balance(acct)).isZero();
        assertReconciled();
    }

    @Test
    void aSessionCreatedElsewhereIsGrantedFromItsMetadata() {
        String acct = id("u");
        String sessionId = "cs_test_" + id("elsewhere");
        ObjectNode event = StripeTestEvents.completed(sessionId, acct, "pack-huge", 5000, paymentIntent());
        assertThat(deliver(event).get("outcome").asText()).isEqualTo("granted");
        assertThat(balance(acct)).isEqualTo(60_000_000);

        String unknownPack = "cs_test_" + id("nopack");
        ObjectNode bogus = StripeTestEvents.completed(unknownPack, acct, "pack-gigantic", 5000, paymentIntent());
        assertThat(deliver(bogus).get("outcome").asText()).isEqualTo("review");
        assertThat(balance(acct)).isEqualTo(60_000_000);

        String notOurs = "cs_test_" + id("other-product");
        ObjectNode foreign = StripeTestEvents.completed(notOurs, acct, "pack-huge", 5000, paymentIntent());
        ((ObjectNode) foreign.path("data").path("object").path("metadata")).remove("packId");
        assertThat(deliver(foreign).get("outcome").asText()).isEqualTo("ignored");
        assertThat(jdbc.sql("select count(*) from checkout_sessions where session_id = :s").param("s", notOurs)
                .query(Long.class).single()).isZero();
        assertThat(balance(acct)).isEqualTo(60_000_000);
        assertReconciled();
    }

    @Test
    void eventsOfThePinnedApiVersionAndOlderOnesAreBothRead() {
        String acct = id("u");
        String pinned = checkout(acct, "pack-small");
        ObjectNode event = StripeTestEvents.completed(pinned, acct, "pack-small", 500, paymentIntent());
        event.put("api_version", com.stripe.Stripe.API_VERSION);
        assertThat(deliver(event).get("outcome").asText()).isEqualTo("granted");
        String old = checkout(acct, "pack-small");
        ObjectNode oldEvent = StripeTestEvents.completed(old, acct, "pack-small", 500, paymentIntent());
        oldEvent.put("api_version", "2019-12-03");
        assertThat(deliver(oldEvent).get("outcome").asText()).isEqualTo("granted");
        assertThat(balance(acct)).isEqualTo(10_000_000);
    }

    @Test
    void unknownEventTypesAreAcknowledgedAndIgnored() {
        ObjectNode event = StripeTestEvents.fixture("customer.created");
        event.put("id", StripeTestEvents.eventId());
        JsonNode r = deliver(event);
        assertThat(r.get("outcome").asText()).isEqualTo("ignored");
        assertThat(r.get("type").asText()).isEqualTo("customer.created");
        assertThat(outcome(event.get("id").asText())).isEqualTo("ignored");
        assertThat(deliver(event).get("outcome").asText()).isEqualTo("duplicate");
    }

    interface Call {
        Api.Response run(int i) throws Exception;
    }

    static List<Api.Response> concurrently(int n, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<Api.Response>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                calls.add(() -> {
                    start.await();
                    return call.run(index);
                });
            }
            List<Future<Api.Response>> futures = new ArrayList<>();
            for (Callable<Api.Response> c : calls) futures.add(pool.submit(c));
            start.countDown();
            List<Api.Response> responses = new ArrayList<>();
            for (Future<Api.Response> f : futures) responses.add(f.get());
            return responses;
        } finally {
            pool.shutdown();
        }
    }
}
