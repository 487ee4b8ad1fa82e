package com.imagina.credits.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.imagina.credits.support.Api;
import com.imagina.credits.support.OtherInstance;
import com.imagina.credits.support.WebhookReceiver.Answer;
import com.imagina.credits.support.WebhookReceiver.Received;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * Two instances on one database, both publishing (events made through either API) and both delivering
 * (each runs its dispatcher): every event in the outbox reaches the receiver, none twice (the lease on each
 * delivery), each account's events in sequence, and both instances did part of the sending.
 */
class DeliveryAcrossInstancesTest extends EventsTestBase {
    @Autowired
    ApplicationContext context;

    @Test
    void twoInstancesDeliverEveryEventOnceAndInOrderPerAccount() throws Exception {
        OtherInstance other = OtherInstance.shared(context);
        List<Api> apis = List.of(api, other.api());
        // A receiver that takes a little while, so both dispatchers have work in flight at once.
        receiver.behaviour(a -> new Answer(200, Duration.ofMillis(20)));
        int accounts = 12, perAccount = 5;
        List<String> ids = new ArrayList<>();
        for (int a = 0; a < accounts; a++) {
            ids.add(id("multi"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int a = 0; a < accounts; a++) {
                String acct = ids.get(a);
                Api via = apis.get(a % 2);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perAccount; i++) {
                        Map<String, Object> body = new LinkedHashMap<>(Map.of("grantId", id("g"), "accountId", acct,
                                "amountMillicredits", 1_000 + i, "kind", "goodwill", "reason", "two instances"));
                        Api.Response r = via.post("/api/v1/admin/grants", via.admin(), body);
                        assertThat(r.status()).as(r.toString()).isEqualTo(201);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }

        for (String acct : ids) {
            awaitDelivered(acct, perAccount);
        }
        for (String acct : ids) {
            List<Received> got = receiver.of(acct);
            assertThat(got).as("no event twice").extracting(Received::eventId).doesNotHaveDuplicates();
            assertThat(got).extracting(Received::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(got).allMatch(Received::signatureValid);
            assertThat(outboxCount(acct)).isEqualTo(perAccount);
        }
        List<String> senders = jdbc.sql("""
                select distinct leased_by from webhook_deliveries where endpoint_id = :e and state = 'delivered'""")
                .param("e", endpointId).query(String.class).list();
        assertThat(senders).as("both instances delivered").hasSize(2);
    }

    /**
     * One hot account, concurrent moves through both instances: sequence numbers gapless and unique, and
     * however the debits interleave, the threshold is crossed — and balance.low published — exactly once.
     */
    @Test
    void concurrentMovesOnOneAccountNumberEventsWithoutGapsAndCrossTheThresholdOnce() throws Exception {
        OtherInstance other = OtherInstance.shared(context);
        List<Api> apis = List.of(api, other.api());
        String acct = id("hot");
        adjust(acct, 100_000);
        setThreshold(acct, 50_000L, api.admin());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Api via = apis.get(i % 2);
                boolean grant = i % 4 == 0;
                done.add(pool.submit(() -> {
                    Api.Response r = grant
                            ? via.post("/api/v1/admin/grants", via.admin(), Map.of("grantId", id("g"), "accountId", acct,
                                    "amountMillicredits", 1, "kind", "goodwill", "reason", "hot account"))
                            : via.post("/api/v1/admin/adjustments", via.admin(), Map.of("adjustmentId", id("adj"),
                                    "accountId", acct, "amountMillicredits", -7_000, "reason", "hot account"));
                    assertThat(r.status()).as(r.toString()).isEqualTo(201);
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        List<Long> sequences = jdbc.sql("select sequence from events where account_id = :a order by sequence")
                .param("a", acct).query(Long.class).list();
        assertThat(sequences).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(outboxTypes(acct)).filteredOn("balance.low"::equals).hasSize(1);
        assertThat(outboxTypes(acct)).filteredOn("grant.created"::equals).hasSize(5);
        awaitDelivered(acct, 6);
        assertThat(receiver.deliveredOf(acct)).extracting(Received::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }
}
