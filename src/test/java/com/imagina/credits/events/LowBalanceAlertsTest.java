package com.imagina.credits.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.Api;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code PUT /api/v1/accounts/{id}/alerts} and the trigger behind {@code balance.low}: who may set it, what
 * it accepts, a threshold set above the balance (no crossing: nothing fires, the next credit above arms it),
 * the global default for accounts without their own, and the events feed's view of it.
 */
class LowBalanceAlertsTest extends EventsTestBase {

    private Api.Response put(String accountId, String token, Object value) {
        Map<String, Object> body = new HashMap<>();
        body.put("lowBalanceMillicredits", value);
        return api.put("/api/v1/accounts/" + accountId + "/alerts", token, body);
    }

    @Test
    void thePlayerTheEngineAndAdminsSetItAndBadInputChangesNothing() {
        String acct = id("u");
        assertThat(put(acct, api.player(acct), 5_000).status()).isEqualTo(200);
        assertThat(put(acct, api.player(id("other")), 1).status()).isEqualTo(403);
        assertThat(put(acct, api.engine(), 6_000).status()).isEqualTo(200);
        assertThat(put(acct, api.admin(), 7_000).status()).isEqualTo(200);
        for (Object bad : List.of(-1, "100", 1.5, 1_000_000_000_001L)) {
            Api.Response r = put(acct, api.admin(), bad);
            assertThat(r.status()).as("%s → %s", bad, r).isEqualTo(400);
            assertThat(r.json().get("code").asText()).isEqualTo("invalid_request");
        }
        assertThat(api.put("/api/v1/accounts/" + acct + "/alerts", api.admin(), Map.of()).status()).isEqualTo(400);
        assertThat(api.put("/api/v1/accounts/" + acct + "/alerts", api.admin(),
                Map.of("lowBalanceMillicredits", 1, "x", 2)).status()).isEqualTo(400);
        JsonNode view = api.get("/api/v1/accounts/" + acct + "/alerts", api.player(acct)).json();
        assertThat(view.get("lowBalanceMillicredits").asLong()).isEqualTo(7_000);
        assertThat(view.get("effectiveLowBalanceMillicredits").asLong()).isEqualTo(7_000);
        assertThat(api.get("/api/v1/accounts/" + acct + "/alerts", api.player(id("other"))).status()).isEqualTo(403);

        Api.Response cleared = put(acct, api.player(acct), null);
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.json().get("lowBalanceMillicredits").isNull()).isTrue();
        assertThat(outboxCount(acct)).isZero();
    }

    @Test
    void aThresholdAboveTheBalanceFiresNothingUntilACreditArmsItAndADebitCrossesIt() {
        String acct = id("u");
        adjust(acct, 3_000);
        JsonNode set = put(acct, api.player(acct), 10_000).json();
        assertThat(set.get("below").asBoolean()).isTrue();
        assertThat(set.get("armed").asBoolean()).isFalse();
        adjust(acct, -1_000); // below, not armed: nothing
        adjust(acct, 5_000); // 7,000: still below, still not armed
        adjust(acct, -1_000);
        assertThat(outboxCount(acct)).isZero();
        adjust(acct, 4_000); // 10,000: at the threshold, armed
        assertThat(api.get("/api/v1/accounts/" + acct + "/alerts", api.admin()).json().get("armed").asBoolean()).isTrue();
        adjust(acct, -1); // 9,999: crossed
        adjust(acct, -5_000); // further below: no news
        assertThat(outboxTypes(acct)).containsExactly("balance.low");
        JsonNode data = jdbc.sql("select data::text from events where account_id = :a").param("a", acct)
                .query(String.class).optional().map(s -> {
                    try {
                        return Api.JSON.readTree(s);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).orElseThrow();
        assertThat(data.get("availableMillicredits").asLong()).isEqualTo(9_999);
        assertThat(data.get("thresholdMillicredits").asLong()).isEqualTo(10_000);

        Api.Response feed = api.get("/api/v1/accounts/me/events", api.player(acct));
        assertThat(feed.status()).as(feed.toString()).isEqualTo(200);
        assertThat(feed.json().get("items")).hasSize(1);
        assertThat(feed.json().get("availableMillicredits").asLong()).isEqualTo(4_999);
        assertThat(feed.json().get("lowBalance").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/accounts/" + acct + "/events?after=-1", api.player(acct)).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/accounts/" + acct + "/events?limit=1000", api.player(acct)).status()).isEqualTo(400);
        awaitDelivered(acct, 1);
    }

    @Test
    void theGlobalDefaultAppliesToAccountsWithoutTheirOwn() {
        String plain = id("u"), own = id("u");
        adjust(plain, 20_000);
        adjust(own, 20_000);
        put(own, api.admin(), 1_000);
        EventsProperties withDefault = new EventsProperties(15_000, true, 4, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofDays(3), Duration.ofDays(1), Duration.ofSeconds(30), Duration.ofSeconds(30));
        try {
            new LowBalanceDefault(jdbc, withDefault).write();
            assertThat(api.get("/api/v1/accounts/" + plain + "/alerts", api.admin()).json()
                    .get("effectiveLowBalanceMillicredits").asLong()).isEqualTo(15_000);
            adjust(plain, -10_000);
            adjust(own, -10_000);
            assertThat(outboxTypes(plain)).containsExactly("balance.low");
            assertThat(outboxTypes(own)).as("its own threshold (1,000) is not crossed").isEmpty();
        } finally {
            jdbc.sql("update alert_settings set low_balance_millicredits = null where id = 1").update();
        }
    }
}
