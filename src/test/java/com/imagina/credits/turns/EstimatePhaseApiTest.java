package com.imagina.credits.turns;

import static org.assertj.core.api.Assertions.assertThat;

import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An authorization's estimate phase ({@code TurnStore.ESTIMATE_PHASE_SQL}): {@code follow} when the journey's
 * last settled turn — last by creation, then by settlement — was on the same model and settled within the
 * model's cache TTL, else {@code first}. Since V108 the last settled turn is kept on the journey row by the
 * settlement's statement; this checks the rule through real authorizations and settles, including a turn
 * settled after a newer one (it does not become the last) and the TTL boundary.
 */
class EstimatePhaseApiTest extends ApiTest {
    @AfterEach
    void realTime() {
        realClock();
    }

    @Test
    void theJourneysLastSettledTurnDecidesThePhase() {
        String account = id("phase");
        adjust(account, 50_000_000);
        String world = world(id("phase-owner"), true);
        String journey = id("phase-j");
        int opusTtl = jdbc.sql("select cache_ttl_seconds from models where model_id = :m")
                .param("m", TurnsApiTest.OPUS).query(Integer.class).single();
        assertThat(opusTtl).as("the follow-up 10 s later is within Opus's cache TTL").isGreaterThan(10);
        Instant t0 = Instant.parse("2030-05-01T10:00:00Z");
        setClock(t0);

        String first = authorize(account, journey, world, TurnsApiTest.OPUS);
        assertThat(phase(first)).as("no settled turn yet").isEqualTo("first");
        settle(first);
        setClock(t0.plusSeconds(10));
        String follow = authorize(account, journey, world, TurnsApiTest.OPUS);
        assertThat(phase(follow)).as("same model, within the TTL").isEqualTo("follow");
        String switched = authorize(account, journey, world, TurnsApiTest.SONNET);
        assertThat(phase(switched)).as("another model").isEqualTo("first");

        // Settled in the reverse order of their creation: the newer (Sonnet) stays the journey's last.
        setClock(t0.plusSeconds(20));
        settle(switched);
        setClock(t0.plusSeconds(30));
        settle(follow);
        setClock(t0.plusSeconds(40));
        assertThat(phase(authorize(account, journey, world, TurnsApiTest.SONNET))).isEqualTo("follow");
        assertThat(phase(authorize(account, journey, world, TurnsApiTest.OPUS))).isEqualTo("first");

        // The TTL counts from the settlement of the last settled turn (the Sonnet one, at t0 + 20 s). The
        // adjustable clock runs on after each setClock, so the checks keep a second either side of the edge.
        int sonnetTtl = jdbc.sql("select cache_ttl_seconds from models where model_id = :m")
                .param("m", TurnsApiTest.SONNET).query(Integer.class).single();
        setClock(t0.plusSeconds(19 + sonnetTtl));
        assertThat(phase(authorize(account, journey, world, TurnsApiTest.SONNET))).as("within the TTL").isEqualTo("follow");
        setClock(t0.plusSeconds(22 + sonnetTtl));
        assertThat(phase(authorize(account, journey, world, TurnsApiTest.SONNET))).as("past the TTL").isEqualTo("first");

        // Another journey of the same account knows nothing of this one.
        assertThat(phase(authorize(account, id("phase-j2"), world, TurnsApiTest.SONNET))).isEqualTo("first");

        // The kept row agrees with the scan it replaced, for every journey of the schema.
        assertThat(jdbc.sql("""
                select count(*) from journeys j
                  left join (select distinct on (journey_id) journey_id, model_id, created_at, closed_at
                               from turns where status = 'settled' and journey_id is not null
                              order by journey_id, created_at desc, closed_at desc) l on l.journey_id = j.journey_id
                 where j.last_settled_model_id is distinct from l.model_id
                    or j.last_settled_created_at is distinct from l.created_at
                    or j.last_settled_at is distinct from l.closed_at""").query(Long.class).single()).isZero();
    }

    private String authorize(String account, String journey, String world, String model) {
        String turnId = id("phase-t");
        Api.Response r = api.post("/api/v1/turns", api.engine(), Map.of("turnId", turnId, "accountId", account,
                "journeyId", journey, "worldId", world, "modelId", model, "maxOutputTokens", 100,
                "expectedInputTokens", 100));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return turnId;
    }

    private void settle(String turnId) {
        Api.Response r = api.post("/api/v1/turns/" + turnId + "/settle", api.engine(),
                Map.of("usage", Map.of("inputTokens", 100, "outputTokens", 50)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    private String phase(String turnId) {
        return jdbc.sql("select estimate_phase from turns where turn_id = :t").param("t", turnId)
                .query(String.class).single();
    }
}
