package com.imagina.credits.grants;

import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import com.imagina.credits.support.OtherInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The welcome grant is given once per account, by whichever call creates it: many concurrent first
 * calls for the same new accounts, spread over two instances that both have the welcome grant on.
 */
class WelcomeGrantAcrossInstancesTest extends ApiTest {
    @Autowired
    ApplicationContext context;

    @Test
    void concurrentFirstCallsOnTwoInstancesGiveOneWelcomeGrant() throws Exception {
        String[] welcome = {"--credits.welcome-grant.amount-millicredits=25000", "--credits.welcome-grant.lifetime=7d"};
        try (OtherInstance a = OtherInstance.start(context, welcome);
                OtherInstance b = OtherInstance.start(context, welcome)) {
            List<Api> apis = List.of(a.api(), b.api());
            List<String> accounts = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                accounts.add(id("new"));
            }
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> calls = new ArrayList<>();
                for (String account : accounts) {
                    for (int i = 0; i < 8; i++) {
                        Api via = apis.get(i % 2);
                        calls.add(pool.submit(() -> {
                            go.await();
                            return via.get("/api/v1/accounts/" + account, via.player(account)).status();
                        }));
                    }
                }
                go.countDown();
                for (Future<Integer> call : calls) {
                    assertThat(call.get()).isEqualTo(200);
                }
            } finally {
                pool.shutdownNow();
            }
            for (String account : accounts) {
                var view = apis.get(0).get("/api/v1/accounts/" + account, apis.get(0).admin()).json();
                assertThat(view.get("balanceMillicredits").asLong()).as(account).isEqualTo(25_000);
                assertThat(view.get("expiring")).hasSize(1);
                long grants = jdbc.sql("select count(*) from ledger_entries where account_id = :a and type = 'grant'")
                        .param("a", account).query(Long.class).single();
                assertThat(grants).isEqualTo(1);
            }
        }
        // The default instance has no welcome grant: a new account there starts at 0.
        assertThat(balance(id("plain"))).isZero();
        assertReconciled();
    }
}
