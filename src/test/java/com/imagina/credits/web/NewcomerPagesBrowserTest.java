package com.imagina.credits.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.imagina.credits.support.Api;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * What a newcomer found on the pages (issue 24) and the expiring notice (issue 19): names instead of ids,
 * the picker's choice in the journey panel, story and image models apart, estimates that say their basis,
 * tier names, a cap passed shown as it is, a one-day chart with its cumulative line, the simulated checkout
 * styled, an HTML page for a mistyped address and a favicon.
 */
class NewcomerPagesBrowserTest extends BrowserTestBase {
    private final String player = id("web-newcomer");
    private final String owner = id("web-owner");
    private final String journeyId = id("j-newcomer");
    private String worldId;

    @BeforeAll
    void playSomeTurns() {
        api = new Api("http://127.0.0.1:" + port, SECRET);
        // A day of its own, before the grant's expiry: other test classes move the shared clock far ahead.
        setClock(java.time.Instant.parse("2030-06-15T10:00:00Z"));
        worldId = id("w-salt");
        Api.Response put = api.put("/api/v1/worlds/" + worldId, api.engine(),
                Map.of("ownerId", owner, "title", "The Salt Road", "published", true));
        assertThat(put.status()).isEqualTo(200);
        Api.Response grant = api.post("/api/v1/admin/grants", api.admin(), Map.of("grantId", id("g"), "accountId", player,
                "amountMillicredits", 250_000, "kind", "promotional", "expiresAt", "2030-12-31T12:00:00Z",
                "reason", "welcome"));
        assertThat(grant.status()).as(grant.toString()).isEqualTo(201);
        adjust(player, 100_000);
        for (int turn = 1; turn <= 6; turn++) playTurn(player, journeyId, worldId, "claude-sonnet-4-5");
        // Another player's paid turn with purchased credits: the world's one day of earnings.
        String visitor = id("web-visitor");
        adjust(visitor, 100_000);
        String visit = id("j-visit");
        for (int turn = 1; turn <= 6; turn++) playTurn(visitor, visit, worldId, "claude-sonnet-4-5");
    }

    @Test
    void theDashboardListsExpiringCreditsAndAPassedCapAsItIs() {
        // A cap lowered below what was already spent today: the page says how far past it the day is.
        Api.Response cap = api.put("/api/v1/accounts/" + player + "/limits", api.admin(), Map.of("dailySpendLimitMillicredits", 1_000));
        assertThat(cap.status()).as(cap.toString()).isEqualTo(200);
        long spent = cap.json().path("spentTodayMillicredits").asLong();
        browser.signIn(player, "player");

        long expiring = account(player).at("/expiring/0/amountMillicredits").asLong();
        assertThat(expiring).isPositive();
        String whole = credits(expiring).replaceAll("\\.?0+$", "");
        assertThat(browser.textOf("expiring-item")).startsWith(whole + " credits expire on").contains("2030");
        assertThat(browser.textOf("free-turns-reset")).contains("00:00 UTC").doesNotContain("UTC your time");
        if (spent > 1_000) {
            assertThat(browser.textOf("cap-percent")).startsWith((spent * 100 / 1_000) + "% of today's cap").contains("over it");
        }
        browser.screenshot("dashboard-expiring");
    }

    @Test
    void historyNamesTheWorldAndSaysWhatAGrantIs() {
        browser.signIn(player, "player");
        browser.open("/history");
        WebElement grant = browser.waitFor(By.cssSelector("[data-testid=tx-row][data-type=grant]"));
        assertThat(grant.getText()).contains("Promotional credits").contains("spent before your own");
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("[data-testid=tx-row][data-type=free_turn] .world-name"), "The Salt Road"));
        assertThat(browser.all("[data-testid=tx-row]").stream().map(WebElement::getText)).noneMatch(t -> t.contains(worldId));
        browser.screenshot("history-names");
    }

    @Test
    void thePickerKeepsImageModelsApartSaysItsBasisAndTheJourneyPanelFollowsItsChoice() {
        browser.signIn(player, "player");
        browser.open("/models?worldId=" + worldId + "&journeyId=" + journeyId);
        browser.waitFor(By.cssSelector("[data-model-id='claude-haiku-4-5'] button"));
        // The image model is listed apart, without "Use this model".
        assertThat(browser.all(".image-models [data-model-id='gemini-2-5-flash-image']")).hasSize(1);
        assertThat(browser.all("[data-model-id='gemini-2-5-flash-image'] button")).isEmpty();
        assertThat(browser.all(".model-list:not(.image-models .model-list) [data-model-id='gemini-2-5-flash-image']")).isEmpty();
        assertThat(browser.driver.findElement(By.cssSelector("[data-model-id='claude-opus-4-1'] [data-testid=tier]")).getText())
                .isEqualTo("Anthropic · Astral Lumen");
        List<String> bases = browser.all("[data-testid=basis]").stream().map(WebElement::getText).toList();
        assertThat(bases).isNotEmpty().noneMatch(b -> b.contains("no turns played yet"))
                .allMatch(b -> b.startsWith("Calibrated on") || b.contains("20 turns"));
        assertThat(browser.driver.findElement(By.tagName("main")).getText()).contains("The Salt Road").doesNotContain(worldId);

        browser.driver.findElement(By.cssSelector("[data-model-id='claude-haiku-4-5'] button")).click();
        browser.waiting().until(d -> "true".equals(d.findElement(By.cssSelector("[data-model-id='claude-haiku-4-5']"))
                .getDomAttribute("data-selected")));
        browser.open("/journeys/" + journeyId);
        WebElement remaining = browser.waitFor(By.cssSelector("[data-testid=turns-remaining]"));
        assertThat(remaining.getDomAttribute("data-model-id")).isEqualTo("claude-haiku-4-5");
        assertThat(remaining.getText()).contains("Claude Haiku 4.5").contains("chosen in the picker");
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main .world-name"), "The Salt Road"));
        browser.screenshot("journey-picked-model");
    }

    @Test
    void aOneDayChartDrawsItsCumulativeLine() {
        browser.signIn(owner, "player");
        browser.open("/worlds");
        WebElement block = browser.waitFor(By.cssSelector("[data-testid=world-earnings][data-world-id='" + worldId + "'] svg"));
        String path = block.findElement(By.cssSelector(".line-cumulative")).getDomAttribute("d");
        assertThat(path).as("a line, not a lone point").contains("L");
        assertThat(block.findElements(By.cssSelector(".dot-cumulative"))).hasSize(1);
        browser.screenshot("worlds-one-day");
    }

    @Test
    void theSimulatedCheckoutIsStyledLikeThePages() {
        Api.Response created = api.post("/api/v1/checkout-sessions", api.player(player), Map.of("packId", "pack-small"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        browser.open(created.json().path("url").asText().replaceFirst("^https?://[^/]+", ""));
        WebElement pay = browser.waitFor(By.id("pay"));
        assertThat(pay.getDomAttribute("class")).contains("button primary");
        assertThat(browser.all("link[rel=stylesheet][href='/css/app.css']")).hasSize(1);
        assertThat(browser.script("return document.styleSheets[0].cssRules.length > 0")).isEqualTo(true);
        assertThat(browser.driver.findElement(By.id("pack")).getText()).isEqualTo("Small");
        browser.screenshot("simulated-checkout");
    }

    @Test
    void aMistypedPageIsAnHtmlPageAndApiPathsKeepProblemJson() {
        browser.open("/histroy");
        assertThat(browser.waitFor(By.tagName("h1")).getText()).isEqualTo("Page not found");
        assertThat(browser.all("a[href='/']")).isNotEmpty();

        Api.Response page = api.raw("GET", "/no-such-page", null, null, Map.of("Accept", "text/html,application/xhtml+xml,*/*;q=0.8"));
        assertThat(page.status()).isEqualTo(404);
        assertThat(page.contentType()).startsWith("text/html");
        Api.Response apiPath = api.raw("GET", "/api/v1/no-such-thing", api.admin(), null, Map.of("Accept", "text/html,*/*;q=0.8"));
        assertThat(apiPath.status()).isEqualTo(404);
        assertThat(apiPath.contentType()).startsWith("application/problem+json");
        Api.Response plain = api.get("/no-such-page", null);
        assertThat(plain.status()).isEqualTo(404);
        assertThat(plain.contentType()).startsWith("application/problem+json");

        Api.Response icon = api.raw("GET", "/favicon.ico", null, null, Map.of());
        assertThat(icon.status()).isEqualTo(200);
        assertThat(icon.contentType()).contains("icon");
        Matcher iconLink = Pattern.compile("<link rel=\"icon\" href=\"/favicon.ico\">").matcher(api.get("/", null).body());
        assertThat(iconLink.find()).isTrue();
    }
}
