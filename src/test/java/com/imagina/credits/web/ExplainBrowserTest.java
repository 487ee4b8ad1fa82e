package com.imagina.credits.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.Api;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A turn row in the history and in the journey panel opens the turn's explanation in plain words; the
 * picker says how close its estimates have been.
 */
class ExplainBrowserTest extends BrowserTestBase {
    static final String MODEL = "claude-sonnet-4-5";
    String player;
    String worldId;
    String journeyId;
    String paidTurn;

    @BeforeAll
    void play() {
        api = new Api("http://127.0.0.1:" + port, SECRET);
        setClock(Instant.parse("2026-11-25T10:00:00Z"));
        player = id("web-explain");
        worldId = world(id("owner"), true);
        journeyId = id("j");
        adjust(player, 1_000_000);
        // Five free turns, then a paid one that read 800 tokens from the cache (Sonnet 4.5: 22.020 credits).
        for (int turn = 1; turn <= 6; turn++) {
            String turnId = id("t");
            var a = api.post("/api/v1/turns", api.engine(), Map.of("turnId", turnId, "accountId", player,
                    "journeyId", journeyId, "worldId", worldId, "modelId", MODEL, "maxOutputTokens", 500,
                    "expectedInputTokens", 6000));
            assertThat(a.status()).as(a.toString()).isEqualTo(201);
            var s = api.post("/api/v1/turns/" + turnId + "/settle", api.engine(), Map.of("usage",
                    Map.of("inputTokens", 5200, "cacheReadTokens", 800, "outputTokens", 412)));
            assertThat(s.status()).as(s.toString()).isEqualTo(200);
            paidTurn = turnId;
        }
    }

    @Test
    void aHistoryRowOpensItsTurnsExplanationInPlainWords() {
        browser.signIn(player, "player");
        browser.open("/history");
        WebElement row = browser.waitFor(By.cssSelector("[data-testid=tx-row][data-turn-id='" + paidTurn + "']"));
        assertThat(row.getDomAttribute("data-type")).isEqualTo("turn");
        WebElement button = row.findElement(By.cssSelector("[data-testid=explain-turn]"));
        assertThat(button.getDomAttribute("aria-expanded")).isEqualTo("false");
        button.click();
        WebElement panel = browser.waitFor(By.cssSelector("[data-testid=turn-explanation]"));
        browser.waiting().until(ExpectedConditions.textToBePresentInElement(panel, "saved"));
        assertThat(panel.getText()).contains("5,200 new tokens at 3.00 $/M: 15.6 credits.")
                .contains("800 tokens read from cache at 0.30 $/M")
                .contains("412 output tokens at 15.00 $/M")
                .contains("800 tokens read from cache saved 2.16 credits")
                .contains("Charged: 22.020 credits.");
        assertThat(button.getDomAttribute("aria-expanded")).isEqualTo("true");
        // The explanation row is not a transaction row.
        JsonNode items = getJson("/api/v1/accounts/me/transactions?limit=50", api.player(player)).get("items");
        assertThat(browser.all("[data-testid=tx-row]")).hasSize(items.size());
        browser.screenshot("history-explanation");

        // A free turn says what it would have cost.
        WebElement free = browser.driver.findElement(By.cssSelector("[data-testid=tx-row][data-type=free_turn]"));
        free.findElement(By.cssSelector("[data-testid=explain-turn]")).click();
        browser.waiting().until(d -> d.findElements(By.cssSelector("[data-testid=turn-explanation]")).size() == 2
                && d.findElements(By.cssSelector("[data-testid=turn-explanation]")).get(1).getText()
                        .contains("would have cost 22.020 credits"));

        button.click();
        browser.waiting().until(d -> d.findElements(By.cssSelector("[data-testid=turn-explanation]")).size() == 1);
        assertThat(button.getDomAttribute("aria-expanded")).isEqualTo("false");
    }

    @Test
    void aJourneyPanelTurnOpensItsExplanation() {
        browser.signIn(player, "player");
        browser.open("/journeys/" + journeyId);
        browser.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("[data-testid=recent-turn]"), 6));
        WebElement turn = browser.driver.findElement(By.cssSelector("[data-testid=recent-turn][data-turn-id='" + paidTurn + "']"));
        turn.findElement(By.cssSelector("[data-testid=explain-turn]")).click();
        WebElement panel = browser.waitFor(By.cssSelector("[data-testid=recent-turn] [data-testid=turn-explanation]"));
        browser.waiting().until(ExpectedConditions.textToBePresentInElement(panel, "saved"));
        assertThat(panel.getText()).contains("5,200 new tokens at 3.00 $/M").contains("Charged: 22.020 credits.");
        browser.screenshot("journey-explanation");
        browser.width(360);
        assertThat(browser.fitsWidth()).as("no sideways scrolling at 360px").isTrue();
    }

    @Test
    void thePickerSaysHowCloseItsEstimatesHaveBeen() {
        String fresh = id("never-played");
        var put = api.put("/api/v1/admin/models/" + fresh, api.admin(), java.util.Map.of("name", "Never played",
                "provider", "test", "tier", "standard", "creditsOnly", true, "isDefault", false, "cacheTtlSeconds", 300,
                "prices", java.util.Map.of("inputUsdPerMTok", "1", "cacheReadUsdPerMTok", "0.1",
                        "cacheWriteUsdPerMTok", "1.25", "outputUsdPerMTok", "5")));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        browser.signIn(player, "player");
        browser.open("/models?worldId=" + worldId + "&journeyId=" + journeyId);
        JsonNode models = getJson("/api/v1/models?accountId=" + player + "&worldId=" + worldId, api.player(player))
                .get("models");
        JsonNode sonnet = null;
        for (JsonNode m : models) {
            if (m.get("id").asText().equals(MODEL)) sonnet = m;
        }
        JsonNode accuracy = sonnet.at("/estimate/accuracy");
        int turns = accuracy.get("turns").asInt();
        assertThat(turns).isGreaterThanOrEqualTo(6); // at least this player's six turns
        long percent = new java.math.BigDecimal(accuracy.get("withinRangeShare").asText()).movePointRight(2)
                .setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
        WebElement line = browser.waitFor(By.cssSelector("[data-model-id='" + MODEL + "'] [data-testid=estimate-accuracy]"));
        assertThat(line.getText()).startsWith("Last " + turns + " turns: " + percent + " % within the range shown");
        assertThat(browser.all("[data-model-id='" + fresh + "'] [data-testid=estimate-accuracy]")).isEmpty();
        browser.screenshot("models-accuracy");
    }
}
