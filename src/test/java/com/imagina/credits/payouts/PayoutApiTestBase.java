package com.imagina.credits.payouts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The payout tests' common ground. The scheduled payout is paused while they run so that every payout
 * they see is one they started; each test uses days of its own in 2031 and compares only its own worlds
 * (a run pays every unpaid charge through its day, other tests' included).
 */
abstract class PayoutApiTestBase extends ApiTest {
    @Autowired
    NightlyPayout nightly;

    @Autowired
    PayoutRun run;

    Plays plays;

    @BeforeEach
    void pauseTheSchedule() {
        nightly.setEnabled(false);
        plays = new Plays(api);
    }

    @AfterEach
    void resumeTheSchedule() {
        run.afterGroupCommitted = paid -> {};
        nightly.setEnabled(true);
    }

    static Instant at(LocalDate day, String time) {
        return Instant.parse(day + "T" + time + "Z");
    }

    Api.Response payThrough(LocalDate day) {
        return api.post("/api/v1/admin/payouts", api.admin(), Map.of("through", day.toString()));
    }

    JsonNode payThroughOk(LocalDate day) {
        var r = payThrough(day);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    JsonNode earnings(String worldId, String token) {
        var r = api.get("/api/v1/worlds/" + worldId + "/earnings", token);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    /** The earnings page agrees with the test's own model, day by day and in total. */
    void assertEarnings(JsonNode e, String worldId, long earned, long pending, boolean allPaidOut) {
        assertThat(e.get("worldId").asText()).isEqualTo(worldId);
        assertThat(e.get("authoringSpentMillicredits").asLong()).isEqualTo(plays.expectedAuthoring(worldId));
        assertThat(e.get("earnedMillicredits").asLong()).as("earned").isEqualTo(earned);
        assertThat(e.get("pendingMillicredits").asLong()).as("pending").isEqualTo(pending);
        List<Plays.DayFigures> expected = plays.expectedDays(worldId);
        JsonNode days = e.get("days");
        assertThat(days.size()).as(e.toString()).isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            Plays.DayFigures want = expected.get(i);
            JsonNode got = days.get(i);
            assertThat(got.get("day").asText()).isEqualTo(want.day().toString());
            assertThat(got.get("paidPlays").asLong()).as("paidPlays " + want.day()).isEqualTo(want.paidPlays());
            assertThat(got.get("players").asLong()).as("players " + want.day()).isEqualTo(want.players());
            assertThat(got.get("playSpendMillicredits").asLong()).as("spend " + want.day()).isEqualTo(want.spend());
            assertThat(got.get("shareMillicredits").asLong()).as("share " + want.day()).isEqualTo(want.share());
            assertThat(got.get("paidOut").asBoolean()).as("paidOut " + want.day()).isEqualTo(allPaidOut);
        }
    }

    /** The sum of the revenue_share entries the ledger holds for a world. */
    long ledgerRevenueShare(String worldId) {
        return jdbc.sql("select coalesce(sum(amount_millicredits), 0) from ledger_entries"
                + " where type = 'revenue_share' and world_id = :w").param("w", worldId).query(Long.class).single();
    }

    long revenueShareEntries(String worldId) {
        return jdbc.sql("select count(*) from ledger_entries where type = 'revenue_share' and world_id = :w")
                .param("w", worldId).query(Long.class).single();
    }

    long unpaidEligible(String worldId) {
        return jdbc.sql("select count(*) from turns t where t.world_id = :w and" + RevenueShare.ELIGIBLE
                + "and t.revenue_share_payout_id is null").param("w", worldId).query(Long.class).single();
    }
}
