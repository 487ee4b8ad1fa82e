package com.imagina.credits.grants;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.ApiTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Promotional grants over real HTTP: the spending order (against an in-memory model of the grants),
 * expiry exactly once (lazily and by the sweep, while credits are held, at midnight), refunds and
 * debits that never take promotional credits, and idempotency.
 */
class GrantsApiTest extends ApiTest {
    static final String SONNET = "claude-sonnet-4-5"; // 3 millicredits per input token, 15 per output token

    @AfterEach
    void realTime() {
        realClock();
    }

    private JsonNode grant(String grantId, String account, long amount, String kind, Instant expiresAt) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("grantId", grantId, "accountId", account,
                "amountMillicredits", amount, "kind", kind, "reason", "test campaign"));
        if (expiresAt != null) {
            body.put("expiresAt", expiresAt.toString());
        }
        var r = api.post("/api/v1/admin/grants", api.admin(), body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    /** A world_text charge of exactly 3·input + 15·output millicredits (no free turns apply). */
    private long charge(String account, String world, long input, long output) {
        String turnId = id("t");
        var a = api.post("/api/v1/turns", api.engine(), Map.of("turnId", turnId, "accountId", account,
                "worldId", world, "modelId", SONNET, "purpose", "world_text",
                "expectedInputTokens", input, "maxOutputTokens", output));
        assertThat(a.status()).as(a.toString()).isEqualTo(201);
        var s = api.post("/api/v1/turns/" + turnId + "/settle", api.engine(),
                Map.of("usage", Map.of("inputTokens", input, "outputTokens", output)));
        assertThat(s.status()).as(s.toString()).isEqualTo(200);
        assertThat(s.json().get("chargedMillicredits").asLong()).isEqualTo(3 * input + 15 * output);
        return 3 * input + 15 * output;
    }

    /** The model: grants spent soonest-expiring first, then those without expiry, then purchased. */
    static final class Model {
        record G(String id, Instant expiresAt, int order, long[] left) {}
        final List<G> grants = new ArrayList<>();
        long purchased;

        void grant(String id, long amount, Instant expiresAt) {
            grants.add(new G(id, expiresAt, grants.size(), new long[] {amount}));
        }

        void spend(long amount) {
            List<G> order = new ArrayList<>(grants);
            order.sort(Comparator.comparing((G g) -> g.expiresAt() == null ? Instant.MAX : g.expiresAt())
                    .thenComparingInt(G::order));
            for (G g : order) {
                long take = Math.min(g.left()[0], amount);
                g.left()[0] -= take;
                amount -= take;
            }
            purchased -= amount;
        }

        long promo() {
            return grants.stream().mapToLong(g -> g.left()[0]).sum();
        }

        /** The account's "expiring" list: one line per expiry instant, soonest first. */
        List<Map<String, Object>> expiring() {
            Map<Instant, Long> byInstant = new java.util.TreeMap<>();
            grants.stream().filter(g -> g.expiresAt() != null && g.left()[0] > 0)
                    .forEach(g -> byInstant.merge(g.expiresAt(), g.left()[0], Long::sum));
            List<Map<String, Object>> out = new ArrayList<>();
            byInstant.forEach((at, amount) -> out.add(Map.of("amountMillicredits", amount, "expiresAt", at)));
            return out;
        }
    }

    private void assertMatches(String account, Model model) {
        JsonNode view = account(account);
        assertThat(view.get("credits").get("promotionalMillicredits").asLong()).isEqualTo(model.promo());
        assertThat(view.get("credits").get("purchasedMillicredits").asLong()).isEqualTo(model.purchased);
        assertThat(view.get("balanceMillicredits").asLong()).isEqualTo(model.promo() + model.purchased);
        List<Map<String, Object>> expiring = new ArrayList<>();
        view.get("expiring").forEach(e -> expiring.add(Map.of("amountMillicredits",
                e.get("amountMillicredits").asLong(), "expiresAt", Instant.parse(e.get("expiresAt").asText()))));
        assertThat(expiring).isEqualTo(model.expiring());
    }

    @Test
    void chargesSpendGrantsSoonestExpiringFirstThenUnexpiringThenPurchased() {
        Random random = new Random(20261202);
        for (int round = 0; round < 4; round++) {
            String account = id("acct");
            String world = world(account, true);
            Model model = new Model();
            adjust(account, 200_000);
            model.purchased = 200_000;
            Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            for (int step = 0; step < 12; step++) {
                if (random.nextInt(3) == 0) {
                    String gid = id("g");
                    long amount = 1_000 + random.nextInt(20_000);
                    Instant expiresAt = random.nextInt(4) == 0 ? null
                            : now.plus(Duration.ofHours(1 + random.nextInt(5))); // ties happen: same hour
                    grant(gid, account, amount, random.nextBoolean() ? "promotional" : "goodwill", expiresAt);
                    model.grant(gid, amount, expiresAt == null ? null : Instant.parse(expiresAt.toString()));
                } else {
                    long charged = charge(account, world, 100 + random.nextInt(2_000), random.nextInt(400));
                    model.spend(charged);
                }
                assertMatches(account, model);
            }
        }
        assertReconciled();
    }

    @Test
    void expiryTakesWhatIsLeftOnceLazilyOrBySweep() {
        String account = id("acct");
        String world = world(account, true);
        adjust(account, 50_000);
        Instant start = Instant.parse("2031-03-10T12:00:00Z");
        setClock(start);
        Instant midnight = Instant.parse("2031-03-11T00:00:00Z");
        String gid = id("g");
        grant(gid, account, 10_000, "promotional", midnight);
        charge(account, world, 1_000, 0); // 3,000 from the grant
        assertThat(account(account).get("expiring").get(0).get("amountMillicredits").asLong()).isEqualTo(7_000);

        setClock(midnight.minusSeconds(1));
        assertThat(account(account).get("balanceMillicredits").asLong()).isEqualTo(57_000);
        setClock(midnight);
        JsonNode after = account(account); // lazily, on the read
        assertThat(after.get("balanceMillicredits").asLong()).isEqualTo(50_000 + 10_000 - 3_000 - 7_000);
        assertThat(after.get("expiring")).isEmpty();
        assertThat(after.get("credits").get("promotionalMillicredits").asLong()).isZero();
        // Reading again, or the clock moved back and forward again, expires nothing twice.
        setClock(midnight.minusSeconds(3600));
        setClock(midnight.plusSeconds(3600));
        assertThat(account(account).get("balanceMillicredits").asLong())
                .isEqualTo(50_000);
        JsonNode expiries = api.get("/api/v1/accounts/" + account + "/transactions?type=expiry", api.admin()).json()
                .get("items");
        assertThat(expiries).hasSize(1);
        assertThat(expiries.get(0).get("amountMillicredits").asLong()).isEqualTo(-7_000);

        // The sweep expires grants of accounts nobody reads.
        String quiet = id("acct");
        adjust(quiet, 1_000);
        grant(id("g"), quiet, 4_000, "goodwill", midnight.plusSeconds(7200));
        setClock(midnight.plusSeconds(7201));
        long swept = jdbc.sql("select count(*) from credit_grants where account_id = :a and expired_at is null")
                .param("a", quiet).query(Long.class).single();
        assertThat(swept).isEqualTo(1);
        awaitSwept(quiet);
        assertThat(account(quiet).get("balanceMillicredits").asLong()).isEqualTo(1_000);
        assertReconciled();
    }

    private void awaitSwept(String account) {
        Instant deadline = Instant.now().plusSeconds(90); // the sweep runs every 30 s
        while (jdbc.sql("select count(*) from credit_grants where account_id = :a and expired_at is null")
                .param("a", account).query(Long.class).single() > 0) {
            assertThat(Instant.now()).as("the sweep expired the grant").isBefore(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void creditsHeldWhenTheGrantExpiresStayHeldUntilTheTurnCloses() {
        String account = id("acct");
        String world = world(account, true);
        Instant start = Instant.parse("2031-04-01T10:00:00Z");
        setClock(start);
        Instant expiresAt = start.plusSeconds(60);
        grant(id("g"), account, 20_000, "promotional", expiresAt);
        String turnId = id("t");
        var a = api.post("/api/v1/turns", api.engine(), Map.of("turnId", turnId, "accountId", account,
                "worldId", world, "modelId", SONNET, "purpose", "world_text",
                "expectedInputTokens", 2_000, "maxOutputTokens", 500)); // holds 13,500
        assertThat(a.status()).as(a.toString()).isEqualTo(201);
        setClock(expiresAt.plusSeconds(5));
        // Still held: nothing expired while the turn that held it is open.
        assertThat(account(account).get("balanceMillicredits").asLong()).isEqualTo(20_000);
        var s = api.post("/api/v1/turns/" + turnId + "/settle", api.engine(),
                Map.of("usage", Map.of("inputTokens", 2_000, "outputTokens", 100)));
        assertThat(s.status()).as(s.toString()).isEqualTo(200);
        assertThat(s.json().get("chargedMillicredits").asLong()).isEqualTo(7_500);
        // The turn closed: what is left of the grant expires now, once.
        JsonNode after = account(account);
        assertThat(after.get("balanceMillicredits").asLong()).isZero();
        assertThat(api.get("/api/v1/accounts/" + account + "/transactions?type=expiry", api.admin()).json()
                .get("items").get(0).get("amountMillicredits").asLong()).isEqualTo(-12_500);
        assertReconciled();
    }

    @Test
    void debitsAndRefundsNeverTakePromotionalCredits() {
        String account = id("acct");
        adjust(account, 5_000);
        grant(id("g"), account, 8_000, "goodwill", Instant.now().plus(Duration.ofDays(30)));
        adjust(account, -7_000); // support takes back purchased credits: into debt, the grant untouched
        JsonNode view = account(account);
        assertThat(view.get("credits").get("promotionalMillicredits").asLong()).isEqualTo(8_000);
        assertThat(view.get("credits").get("purchasedMillicredits").asLong()).isEqualTo(-2_000);
        assertThat(view.get("expiring").get(0).get("amountMillicredits").asLong()).isEqualTo(8_000);
        assertReconciled();
    }

    @Test
    void aGrantIsIdempotentOnItsIdAndRefusesNonsense() {
        String account = id("acct");
        String gid = id("g");
        Instant at = Instant.now().plus(Duration.ofDays(2));
        JsonNode first = grant(gid, account, 3_000, "promotional", at);
        assertThat(first.get("type").asText()).isEqualTo("grant");
        JsonNode again = grant(gid, account, 3_000, "promotional", at);
        assertThat(again).isEqualTo(first);
        assertThat(balance(account)).isEqualTo(3_000);
        var conflict = api.post("/api/v1/admin/grants", api.admin(), Map.of("grantId", gid, "accountId", account,
                "amountMillicredits", 4_000, "kind", "promotional", "reason", "x"));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json().get("code").asText()).isEqualTo("idempotency_conflict");
        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("grantId", id("g"), "accountId", account, "amountMillicredits", 0, "kind", "promotional",
                        "reason", "zero"),
                Map.of("grantId", id("g"), "accountId", account, "amountMillicredits", 10, "kind", "earned",
                        "reason", "not a grant kind an admin gives"),
                Map.of("grantId", id("g"), "accountId", account, "amountMillicredits", 10, "kind", "goodwill",
                        "reason", "in the past", "expiresAt", "2020-01-01T00:00:00Z"),
                Map.of("grantId", id("g"), "accountId", account, "amountMillicredits", 10, "kind", "goodwill"))) {
            var r = api.post("/api/v1/admin/grants", api.admin(), bad);
            assertThat(r.status()).as(r.toString()).isEqualTo(400);
        }
        var player = api.post("/api/v1/admin/grants", api.player(account), Map.of("grantId", id("g"),
                "accountId", account, "amountMillicredits", 10, "kind", "goodwill", "reason", "self-service"));
        assertThat(player.status()).isEqualTo(403);
        assertThat(balance(account)).isEqualTo(3_000);
        JsonNode history = api.get("/api/v1/accounts/" + account + "/transactions?type=grant", api.admin()).json();
        assertThat(history.get("items")).hasSize(1);
    }
}
