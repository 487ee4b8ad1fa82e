package com.imagina.credits.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.ApiTest;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The CSV export holds exactly the JSON history, row for row, amounts in credits with three decimals. */
class TransactionsCsvApiTest extends ApiTest {

    /** A minimal RFC 4180 parser, independent of the writer under test. */
    static List<List<String>> parse(String csv) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r') {
                continue;
            } else if (c == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        return rows;
    }

    @Test
    void csvMatchesTheJsonHistory() throws Exception {
        String acct = id("u");
        // 1,050 adjustments over the API (8 at a time), some with commas, quotes and line breaks.
        String admin = api.admin();
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(8);
        pool.submit(() -> IntStream.range(0, 1_050).parallel().forEach(i -> {
            String reason = i % 100 == 0 ? "refund, \"goodwill\"\nline " + i : "credit " + i;
            Map<String, Object> body = Map.of("adjustmentId", acct + "-" + i,
                    "accountId", acct, "amountMillicredits", i % 7 == 0 ? -(i + 1) : i + 1, "reason", reason);
            var r = api.post("/api/v1/admin/adjustments", admin, body);
            // Eight writers on one account row: on a loaded machine a lock wait may pass its bound, and the
            // service answers 503 (nothing changed, retry the same id), as a client would.
            for (int attempt = 0; r.status() == 503 && attempt < 20; attempt++) {
                r = api.post("/api/v1/admin/adjustments", admin, body);
            }
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
        })).get();
        pool.shutdown();
        List<JsonNode> json = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = api.get("/api/v1/accounts/" + acct + "/transactions?limit=200"
                    + (cursor == null ? "" : "&cursor=" + cursor), api.player(acct)).json();
            page.get("items").forEach(json::add);
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        assertThat(json).hasSize(1_050);

        var csv = api.get("/api/v1/accounts/" + acct + "/transactions.csv", api.player(acct));
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        List<List<String>> rows = parse(csv.body());
        assertThat(rows.get(0)).containsExactly("id", "createdAt", "type", "amountCredits", "fullCostCredits",
                "balanceAfterCredits", "description", "turnId", "modelId", "worldId");
        assertThat(rows).hasSize(1_051);
        for (int i = 0; i < json.size(); i++) {
            JsonNode j = json.get(i);
            List<String> c = rows.get(i + 1);
            assertThat(Long.parseLong(c.get(0))).isEqualTo(j.get("id").asLong());
            assertThat(c.get(2)).isEqualTo(j.get("type").asText());
            assertThat(new BigDecimal(c.get(3)).movePointRight(3).longValueExact())
                    .isEqualTo(j.get("amountMillicredits").asLong());
            assertThat(c.get(3)).matches("-?\\d+\\.\\d{3}");
            assertThat(new BigDecimal(c.get(5)).movePointRight(3).longValueExact())
                    .isEqualTo(j.get("balanceAfterMillicredits").asLong());
            assertThat(c.get(6)).isEqualTo(j.get("description").asText());
        }
        var filtered = api.get("/api/v1/accounts/" + acct + "/transactions.csv?type=purchase", api.player(acct));
        assertThat(parse(filtered.body())).hasSize(1);
        assertThat(api.get("/api/v1/accounts/" + acct + "/transactions.csv", api.player(id("other"))).status())
                .isEqualTo(403);
    }
}
