package com.imagina.credits.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.imagina.credits.support.Api;
import com.imagina.credits.support.OtherInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/** Two instances behind a load balancer receive the same Stripe event at once: one grant, one refund. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PaymentsAcrossInstancesTest extends PaymentsApiTestBase {
    @Autowired
    ApplicationContext context;

    private OtherInstance other;

    @BeforeAll
    void start() {
        other = OtherInstance.shared(context);
    }


    private List<Api.Response> deliverToBoth(String payload, String header, int times) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(times);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Api.Response>> futures = new ArrayList<>();
        Api second = other.api();
        for (int i = 0; i < times; i++) {
            Api target = i % 2 == 0 ? api : second;
            Callable<Api.Response> call = () -> {
                go.await();
                return target.raw("POST", WEBHOOK, null, payload,
                        Map.of("Content-Type", "application/json", "Stripe-Signature", header));
            };
            futures.add(pool.submit(call));
        }
        go.countDown();
        List<Api.Response> out = new ArrayList<>();
        for (Future<Api.Response> f : futures) out.add(f.get());
        pool.shutdown();
        return out;
    }

    @Test
    void oneGrantAndOneRefundAcrossInstances() throws Exception {
        String acct = id("u");
        String sessionId = checkout(acct, "pack-large");
        String pi = paymentIntent();
        ObjectNode completed = StripeTestEvents.completed(sessionId, acct, "pack-large", 2500, pi);
        String payload = StripeTestEvents.payload(completed);
        List<Api.Response> grants = deliverToBoth(payload, StripeTestEvents.sign(payload, secret()), 20);
        assertThat(grants).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
        assertThat(balance(acct)).isEqualTo(StripeWebhookApiTest.LARGE);

        // The same session again under a different event id, to both instances: still one grant.
        ObjectNode again = StripeTestEvents.completed(sessionId, acct, "pack-large", 2500, pi);
        String payload2 = StripeTestEvents.payload(again);
        deliverToBoth(payload2, StripeTestEvents.sign(payload2, secret()), 10);
        assertThat(balance(acct)).isEqualTo(StripeWebhookApiTest.LARGE);

        String refund = StripeTestEvents.payload(StripeTestEvents.chargeRefunded(pi, 2500, 1000));
        deliverToBoth(refund, StripeTestEvents.sign(refund, secret()), 10);
        // 27,500,000 × 1,000 / 2,500 = 11,000,000 taken back, once.
        assertThat(balance(acct)).isEqualTo(StripeWebhookApiTest.LARGE - 11_000_000);
        assertThat(ledgerEntries(sessionId)).isEqualTo(2);
        assertReconciled();
    }

    @Test
    void calibrationOnBothInstancesAtOnceRunsOneAfterTheOther() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Api.Response>> futures = new ArrayList<>();
        Api second = other.api();
        for (int i = 0; i < 4; i++) {
            Api target = i % 2 == 0 ? api : second;
            futures.add(pool.submit(() -> {
                go.await();
                return target.post("/api/v1/admin/calibration", target.admin(), Map.of());
            }));
        }
        go.countDown();
        for (Future<Api.Response> f : futures) {
            assertThat(f.get().status()).as(f.get().toString()).isEqualTo(200);
            assertThat(f.get().json().get("ran").asBoolean()).isTrue();
        }
        pool.shutdown();
        assertReconciled();
    }
}
