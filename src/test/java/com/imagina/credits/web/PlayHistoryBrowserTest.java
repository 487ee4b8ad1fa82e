package com.imagina.credits.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.Api;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * A player who has played: five free turns and one paid turn in a journey. The history strikes
 * the free turns through, the journey panel lists them, the picker shows estimates and badges.
 */
class PlayHistoryBrowserTest extends BrowserTestBase {
    static final String MODEL = "claude-sonnet-4-5";
    String player;
    String worldId;
    String journeyId;

    @BeforeAll
    void play() {
        api = new Api("http://127.0.0.1:" + port, SECRET); // before ApiTest's own @BeforeEach
        // Mid-morning UTC: the six turns and the checks after them stay on one day (free turns are per day).
        setClock(Instant.parse("2026-11-24T10:00:00Z"));
        player = id("web-play");
        worldId = world(id("owner"), true);
        journeyId = id("j");
        adjust(player, 100_000);
        for (int turn = 1; turn <= 6; turn++) {
            JsonNode settled = playTurn(player, journeyId, worldId, MODEL);
            assertThat(settled.get("fundedBy").asText()).isEqualTo(turn <= 5 ? "free_turn" : "credits");
        }
    }

    @Test
    void historyShowsFreeTurnsStruckThroughAndPaidTurnsSigned() {
        browser.signIn(player, "player");
        browser.open("/history");
        JsonNode items = getJson("/api/v1/accounts/me/transactions?limit=50", api.player(player)).get("items");
        browser.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("[data-testid=tx-row]"), items.size()));

        List<WebElement> rows = browser.all("[data-testid=tx-row]");
        List<String> types = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            WebElement row = rows.get(i);
            JsonNode item = items.get(i);
            types.add(row.getDomAttribute("data-type"));
            assertThat(row.getDomAttribute("data-type")).isEqualTo(item.get("type").asText());
            assertThat(row.getText()).contains(credits(item.get("balanceAfterMillicredits").asLong()));
            if (item.get("type").asText().equals("free_turn")) {
                assertThat(row.findElement(By.tagName("s")).getText())
                        .isEqualTo(credits(item.get("fullCostMillicredits").asLong()));
                assertThat(row.getText()).contains("free turn");
            } else {
                assertThat(row.findElements(By.tagName("s"))).isEmpty();
                assertThat(row.getText()).contains(signedCredits(item.get("amountMillicredits").asLong()));
            }
        }
        assertThat(types).startsWith("turn").containsOnlyOnce("adjustment").endsWith("adjustment");
        assertThat(types.stream().filter("free_turn"::equals)).hasSize(5);
        WebElement free = browser.driver.findElement(By.cssSelector("[data-testid=tx-row][data-type=free_turn] s"));
        assertThat(free.getCssValue("text-decoration-line")).isEqualTo("line-through");
        assertThat(browser.all("button")).noneMatch(b -> b.isDisplayed() && b.getText().equals("More"));
        browser.screenshot("history");

        browser.width(360);
        browser.driver.navigate().refresh();
        browser.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("[data-testid=tx-row]"), items.size()));
        assertThat(browser.fitsWidth()).as("no sideways scrolling at 360px").isTrue();
        browser.screenshot("history-360px");
    }

    @Test
    void moreLoadsTheNextPageWithoutSkippingOrRepeating() {
        String saver = id("web-pages");
        for (int i = 1; i <= 55; i++) adjust(saver, i);
        browser.signIn(saver, "player");
        browser.open("/history");
        browser.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("[data-testid=tx-row]"), 50));
        WebElement more = browser.driver.findElement(By.xpath("//button[normalize-space()='More']"));
        assertThat(more.isDisplayed()).isTrue();
        more.click();
        browser.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("[data-testid=tx-row]"), 55));
        browser.waiting().until(ExpectedConditions.invisibilityOf(more));
        List<String> amounts = browser.all("[data-testid=tx-row] td[data-label=Amount]").stream().map(WebElement::getText).toList();
        List<String> expected = new ArrayList<>();
        for (long i = 55; i >= 1; i--) expected.add(signedCredits(i));
        assertThat(amounts).isEqualTo(expected);
    }

    @Test
    void historyFilterShowsOneTypeAndTheCsvDownloads() throws IOException {
        browser.signIn(player, "player");
        browser.open("/history");
        browser.waitFor(By.cssSelector("[data-testid=tx-row][data-type=turn]"));
        new Select(browser.driver.findElement(By.id("type-filter"))).selectByValue("free_turn");
        browser.waiting().until(d -> {
            var rows = d.findElements(By.cssSelector("[data-testid=tx-row]"));
            return rows.size() == 5 && rows.stream().allMatch(r -> "free_turn".equals(r.getDomAttribute("data-type")));
        });
        assertThat(browser.driver.getCurrentUrl()).endsWith("/history?type=free_turn");

        Path file = browser.downloads.resolve("transactions-" + player + ".csv");
        Files.deleteIfExists(file);
        browser.driver.findElement(By.cssSelector("[data-testid=download-csv]")).click();
        browser.waiting().until(d -> Files.exists(file) && sizeOf(file) > 0);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(1 + 5); // header + the filtered rows
        assertThat(lines.subList(1, lines.size())).allMatch(line -> line.contains("free_turn"));
    }

    @Test
    void journeyPanelListsRecentTurnsAndTurnsRemaining() {
        browser.signIn(player, "player");
        browser.open("/journeys/" + journeyId);
        JsonNode costs = getJson("/api/v1/journeys/" + journeyId + "/costs", api.player(player));
        browser.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("[data-testid=recent-turn]"), 6));

        List<WebElement> turns = browser.all("[data-testid=recent-turn]");
        for (int i = 0; i < turns.size(); i++) {
            JsonNode turn = costs.get("recentTurns").get(i);
            boolean free = turn.get("fundedBy").asText().equals("free_turn");
            List<WebElement> struck = turns.get(i).findElements(By.tagName("s"));
            assertThat(struck).hasSize(free ? 1 : 0);
            if (free) assertThat(struck.get(0).getText()).isEqualTo(credits(turn.get("costMillicredits").asLong()));
        }
        long remaining = costs.at("/estimate/turnsRemaining").asLong();
        assertThat(browser.textOf("turns-remaining")).contains("about " + remaining + " more turn");
        assertThat(browser.textOf("balance")).isEqualTo(credits(balance(player)));
        assertThat(browser.textOf("free-turns")).isEqualTo("0");
        browser.screenshot("journey");
    }

    @Test
    void modelPickerShowsEstimatesBadgesAndRemembersTheChoice() {
        browser.signIn(player, "player");
        String query = "?worldId=" + worldId + "&journeyId=" + journeyId;
        browser.open("/models" + query);
        JsonNode models = getJson("/api/v1/models?accountId=" + player + "&worldId=" + worldId + "&journeyId=" + journeyId,
                api.player(player)).get("models");
        browser.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("[data-testid=model]"), models.size()));

        for (JsonNode model : models) {
            WebElement card = browser.driver.findElement(
                    By.cssSelector("[data-testid=model][data-model-id='" + model.get("id").asText() + "']"));
            assertThat(card.findElements(By.cssSelector("[data-testid=credits-only]")))
                    .hasSize(model.get("creditsOnly").asBoolean() ? 1 : 0);
            JsonNode e = model.get("estimate");
            long headline = model.get("cacheWarm").asBoolean() ? e.get("followUpMillicredits").asLong()
                    : e.get("firstTurnMillicredits").asLong();
            String estimate = card.findElement(By.cssSelector("[data-testid=estimate]")).getText();
            assertThat(estimate).contains(credits(headline)).contains(credits(e.get("lowMillicredits").asLong()))
                    .contains(credits(e.get("highMillicredits").asLong()));
        }
        assertThat(browser.driver.findElement(By.cssSelector("[data-model-id='claude-opus-4-1'] [data-testid=credits-only]"))
                .getText()).isEqualToIgnoringCase("credits only");
        assertThat(browser.all("[data-model-id='claude-sonnet-4-5'] [data-testid=credits-only]")).isEmpty();
        // Just played on it: the journey's warm model is the one shown as chosen.
        assertThat(browser.driver.findElement(By.cssSelector("[data-model-id='" + MODEL + "']")).getDomAttribute("data-selected"))
                .isEqualTo("true");
        browser.screenshot("models");

        browser.driver.findElement(By.cssSelector("[data-model-id='claude-haiku-4-5'] button")).click();
        browser.waiting().until(d -> "true".equals(d.findElement(By.cssSelector("[data-model-id='claude-haiku-4-5']"))
                .getDomAttribute("data-selected")));
        browser.driver.navigate().refresh();
        browser.waitFor(By.cssSelector("[data-model-id='claude-haiku-4-5'][data-selected=true] [data-testid=selected]"));
        assertThat(browser.all("[data-testid=model][data-selected=true]")).hasSize(1);
        // Another journey has its own choice.
        browser.open("/models?worldId=" + worldId + "&journeyId=" + id("j-other"));
        browser.waitFor(By.cssSelector("[data-model-id='claude-sonnet-4-5'][data-selected=true]"));
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
