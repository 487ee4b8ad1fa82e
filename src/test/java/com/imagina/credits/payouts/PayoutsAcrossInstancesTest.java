package com.imagina.credits.payouts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.Api;
import com.imagina.credits.support.OtherInstance;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/** Payout runs started at once on two instances pay each (owner, world, day) exactly once. */
class PayoutsAcrossInstancesTest extends PayoutApiTestBase {
    private static final LocalDate DAY = LocalDate.parse("2034-06-10");

    @Autowired
    ApplicationContext context;

    @Test
    void concurrentRunsOnTwoInstancesPayOnce() throws Exception {
        Api second = OtherInstance.shared(context).api();
        setClock(at(DAY, "09:00:00"));
        Map<String, Long> expectedByWorld = new HashMap<>();
        List<String> worlds = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            String owner = id("owner");
            String world = plays.world(owner, true);
            worlds.add(world);
            long spend = 0;
            for (int p = 0; p < 3; p++) {
                String player = id("player");
                adjust(player, 5_000_000);
                spend += plays.play(player, world, Plays.PAID_MODEL, 1_000 + 100L * w, 0, 300 + 10L * p).charged();
            }
            expectedByWorld.put(world, BigDecimal.valueOf(spend).multiply(BigDecimal.valueOf(Plays.PERCENT))
                    .divide(BigDecimal.valueOf(100), 0, RoundingMode.HALF_UP).longValueExact());
        }
        setClock(at(DAY.plusDays(1), "00:30:00"));

        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Api.Response>> futures = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Api target = i % 2 == 0 ? api : second;
            futures.add(pool.submit(() -> {
                go.await();
                return target.post("/api/v1/admin/payouts", target.admin(), Map.of("through", DAY.toString()));
            }));
        }
        go.countDown();
        Map<String, Long> paidByWorld = new HashMap<>();
        for (Future<Api.Response> f : futures) {
            Api.Response r = f.get();
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            for (JsonNode p : r.json().get("payouts")) {
                if (worlds.contains(p.get("worldId").asText())) {
                    paidByWorld.merge(p.get("worldId").asText(), p.get("amountMillicredits").asLong(), Long::sum);
                }
            }
        }
        pool.shutdown();
        assertThat(paidByWorld).isEqualTo(expectedByWorld);
        for (String world : worlds) {
            assertThat(revenueShareEntries(world)).isEqualTo(1);
            assertThat(ledgerRevenueShare(world)).isEqualTo(expectedByWorld.get(world));
        }
        assertReconciled();
    }
}
