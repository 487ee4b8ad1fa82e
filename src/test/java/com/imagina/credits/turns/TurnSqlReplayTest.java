package com.imagina.credits.turns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.ApiTest;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * bench/run's "SQL alone" replays the script of {@link TurnSqlReplay}: here its statements run once,
 * each in autocommit as pgbench runs them, and must make one real turn — held, then charged and
 * settled — that the service itself then shows and that keeps the books balanced.
 */
class TurnSqlReplayTest extends ApiTest {

    @Autowired
    DataSource dataSource;

    @Test
    void theReplayedStatementsMakeOneRealPaidTurn() throws Exception {
        long r = ThreadLocalRandom.current().nextLong(1, 4_000_000_000_000L);
        long a = ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE);
        String account = "sqlonly-" + a;
        String turnId = "sqlonly-t-" + r;
        var world = api.put("/api/v1/worlds/sqlonly-w", api.engine(),
                Map.of("ownerId", "sqlonly-owner", "title", "SQL-alone world", "published", true));
        assertThat(world.status()).as(world.toString()).isEqualTo(200);
        adjust(account, 1_000_000);

        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String sql : TurnSqlReplay.statements()) {
                // pgbench's variables, as pgbench would bind them
                s.execute(sql.replace(":r", Long.toString(r)).replace(":a", Long.toString(a)));
            }
        }

        JsonNode turn = api.get("/api/v1/turns/" + turnId, api.admin()).json();
        assertThat(turn.get("status").asText()).as(turn.toString()).isEqualTo("settled");
        assertThat(turn.get("accountId").asText()).isEqualTo(account);
        assertThat(turn.get("chargedMillicredits").asLong()).isEqualTo(TurnSqlReplay.CHARGE);
        assertThat(turn.at("/normalizedUsage/cacheWrite1hTokens").asLong()).isEqualTo(2018);
        assertThat(turn.at("/usage/anthropicUsage/input_tokens").asLong()).isEqualTo(7011);
        assertThat(turn.at("/prices/outputUsdPerMTok").asText()).isEqualTo("75");
        JsonNode acct = account(account);
        assertThat(acct.get("balanceMillicredits").asLong()).isEqualTo(1_000_000 - TurnSqlReplay.CHARGE);
        assertThat(acct.get("heldMillicredits").asLong()).isZero();
        assertReconciled();
    }

    @Test
    void aStatementWithAParameterTheReplayDoesNotKnowIsRefused() {
        assertThatThrownBy(() -> TurnSqlReplay.bind("select 1 where x = :somethingNew"))
                .hasMessageContaining(":somethingNew");
        // Casts and colons inside literals are not parameters.
        assertThat(TurnSqlReplay.bind("select 'a:b', 1::text, :hold")).isEqualTo("select 'a:b', 1::text, 180000");
    }
}
