package com.imagina.credits.payouts;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static com.imagina.credits.payouts.Plays.PAID_MODEL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code credits.revenue-share.on-promotional} off (the default), the part of a charge paid with
 * promotional credits earns the world's owner nothing; the payout and the earnings page agree, and the
 * share paid becomes earned credits, spent before purchased ones.
 */
class PromotionalRevenueShareApiTest extends PayoutApiTestBase {

    @Test
    void onlyTheNonPromotionalPartOfAChargeEarnsAShare() {
        LocalDate d = LocalDate.parse("2031-10-04");
        String owner = Plays.newId("o"), player = Plays.newId("p");
        setClock(at(d, "09:00:00"));
        adjust(player, 10_000);
        var g = api.post("/api/v1/admin/grants", api.admin(), Map.of("grantId", Plays.newId("g"), "accountId", player,
                "amountMillicredits", 5_000, "kind", "promotional", "reason", "campaign"));
        assertThat(g.status()).as(g.toString()).isEqualTo(201);
        String w = plays.world(owner, true);
        setClock(at(d, "10:00:00"));
        Plays.Play play = plays.play(player, w, PAID_MODEL, 200, 0, 40); // 15·200 + 75·40 = 6,000
        assertThat(play.charged()).isEqualTo(6_000);
        assertThat(jdbc.sql("select charged_promotional_millicredits from turns where turn_id = :t")
                .param("t", play.turnId()).query(Long.class).single()).isEqualTo(5_000);

        JsonNode earnings = api.get("/api/v1/worlds/" + w + "/earnings", api.admin()).json();
        assertThat(earnings.get("pendingMillicredits").asLong()).isEqualTo(200); // 20 % of the 1,000 paid

        setClock(at(d.plusDays(1), "01:00:00"));
        var paid = payThroughOk(d);
        assertThat(paid.get("payouts").toString()).contains("\"amountMillicredits\":200");
        assertThat(ledgerRevenueShare(w)).isEqualTo(200);

        // The owner's earned credits are spent before purchased ones.
        adjust(owner, 1_000);
        JsonNode credits = account(owner).get("credits");
        assertThat(credits.get("earnedMillicredits").asLong()).isEqualTo(200);
        String own = plays.world(owner, true);
        long spent = plays.authoring(owner, own, 2, 1).charged(); // 2·15 + 75 = 105, under the 200 earned
        assertThat(spent).isEqualTo(105);
        credits = account(owner).get("credits");
        assertThat(credits.get("earnedMillicredits").asLong()).isEqualTo(200 - 105);
        assertThat(credits.get("purchasedMillicredits").asLong()).isEqualTo(1_000);
        assertReconciled();
    }
}
