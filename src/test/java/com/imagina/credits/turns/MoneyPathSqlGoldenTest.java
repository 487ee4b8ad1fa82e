package com.imagina.credits.turns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The money path's SQL, exactly as the service sends it, kept in {@code src/test/resources/sql/}: every
 * change to an authorize, settle or void statement shows as a diff of these files in review. The test
 * fails when a statement differs from its file; {@code -Dsql.golden.update=true} rewrites the files
 * (then review and commit them).
 */
class MoneyPathSqlGoldenTest {
    private static final Path DIR = Path.of("src/test/resources/sql");

    static Map<String, String> statements() {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("authorize-1-lookup.sql", TurnStore.LOOKUP_SQL);
        all.put("authorize-2-free-turn.sql", TurnStore.AUTHORIZE_FREE_TURN_SQL);
        all.put("authorize-2-credit-hold.sql", TurnStore.AUTHORIZE_CREDIT_HOLD_SQL);
        all.put("settle-1-read.sql", TurnStore.FOR_SETTLE_SQL);
        all.put("settle-2-posting.sql", TurnStore.SETTLE_POSTING_SQL);
        all.put("void.sql", TurnStore.VOID_SQL);
        return all;
    }

    @Test
    void theMoneyPathStatementsAreTheReviewedOnes() throws IOException {
        boolean update = Boolean.getBoolean("sql.golden.update");
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, String> e : statements().entrySet()) {
            Path file = DIR.resolve(e.getKey());
            String sql = e.getValue().strip() + "\n";
            String stored = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
            if (sql.equals(stored)) {
                continue;
            }
            if (update) {
                Files.createDirectories(DIR);
                Files.writeString(file, sql, StandardCharsets.UTF_8);
            } else {
                changed.add(e.getKey());
            }
        }
        assertThat(changed).as("money-path statements that differ from src/test/resources/sql/ — review the change "
                + "and run with -Dsql.golden.update=true to record it").isEmpty();
    }
}
