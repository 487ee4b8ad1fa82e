package com.imagina.credits.payouts;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

import static com.imagina.credits.payouts.Plays.PAID_MODEL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Revenue share is paid on what a settle collected, never on the part of an overrun it could not
 * collect: the unfunded spend of an empty account earns the world's owner nothing.
 */
class CollectedRevenueShareApiTest extends PayoutApiTestBase {

    @Test
    void anOverrunThatCouldNotBeCollectedEarnsNoShare() {
        LocalDate d = LocalDate.parse("2031-11-07");
        String owner = Plays.newId("o"), player = Plays.newId("p");
        setClock(at(d, "09:00:00"));
        adjust(player, 10_000);
        String w = plays.world(owner, true);
        setClock(at(d, "10:00:00"));
        // 15·2,000 + 75·400 = 60,000 of cost on 10,000 of credits: 10,000 collected, 50,000 not.
        String turnId = plays.authorize(player, w, PAID_MODEL, "play", 100, 40); // a 4,500 hold
        Plays.Play play = plays.settle(turnId, player, w, "play", true, 2_000, 0, 400);
        assertThat(play.charged()).isEqualTo(10_000);
        assertThat(balance(player)).isZero();
        assertThat(jdbc.sql("select uncollected_millicredits from turns where turn_id = :t")
                .param("t", play.turnId()).query(Long.class).single()).isEqualTo(50_000);

        JsonNode earnings = api.get("/api/v1/worlds/" + w + "/earnings", api.admin()).json();
        assertThat(earnings.get("pendingMillicredits").asLong()).isEqualTo(2_000); // 20 % of 10,000

        setClock(at(d.plusDays(1), "01:00:00"));
        var paid = payThroughOk(d);
        assertThat(paid.get("payouts").toString()).contains("\"amountMillicredits\":2000");
        assertThat(balance(owner)).isEqualTo(2_000);
        assertReconciled();
    }
}
