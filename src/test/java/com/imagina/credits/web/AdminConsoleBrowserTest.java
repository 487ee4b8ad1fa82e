package com.imagina.credits.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.Api;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The support console in Chromium, as an agent uses it: find the player, explain a turn, credit goodwill
 * with a reason and see it in the audit trail and the books; refund a purchase; release a stuck hold.
 */
class AdminConsoleBrowserTest extends BrowserTestBase {
    static final String MODEL = "claude-sonnet-4-5";
    static final String DAY = "2026-09-14";
    String agent;
    String agentToken;

    @BeforeAll
    void day() {
        api = new Api("http://127.0.0.1:" + port, SECRET);
        setClock(Instant.parse(DAY + "T10:00:00Z"));
        agent = id("support-ana");
        agentToken = api.token(agent, "admin");
    }

    /** Opens a console page signed in with the agent's token in the fragment, like the player's pages. */
    void openAsAgent(String path) {
        browser.open(path + "#token=" + agentToken);
    }

    void reasonAndReview(WebElement form, String reason) {
        form.findElement(By.cssSelector("textarea[name=reason]")).sendKeys(reason);
        form.findElement(By.xpath(".//button[normalize-space()='Review']")).click();
    }

    /** Confirms the review on screen and waits for what the action answered. */
    String confirm() {
        browser.waitFor(By.cssSelector("[data-testid=confirm]"));
        browser.driver.findElement(By.cssSelector("[data-testid=confirm-action]")).click();
        browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid=action-result] .notice")));
        return browser.textOf("action-result");
    }

    long booksAdjusted() {
        JsonNode days = getJson("/api/v1/admin/books?from=" + DAY + "&to=" + DAY, api.admin()).get("days");
        return days.get(0).get("adjustedMillicredits").asLong();
    }

    @Test
    void findExplainAdjustAndSeeItInTheAuditTrailAndTheBooks() {
        String player = id("u-support");
        adjust(player, 200_000);
        String worldId = world(id("owner"), true);
        JsonNode settled = null;
        for (int i = 0; i < 6; i++) settled = playTurn(player, id("j"), worldId, MODEL); // five free, one paid
        assertThat(settled.get("fundedBy").asText()).isEqualTo("credits");

        openAsAgent("/admin");
        WebElement search = browser.waitFor(By.cssSelector("[data-testid=account-search]"));
        search.sendKeys(player, Keys.ENTER);
        browser.waiting().until(ExpectedConditions.urlContains("/admin/accounts/" + player));
        long balance = balance(player);
        browser.waitForText("balance", credits(balance));
        JsonNode items = getJson("/api/v1/accounts/" + player + "/transactions?limit=50", api.admin()).get("items");
        browser.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("[data-testid=tx-row]"), items.size()));
        assertThat(browser.textOf("free-turns")).isEqualTo("0 of 5");

        // Explain the paid turn: its parts and its words, from what the turn stored.
        WebElement paid = browser.driver.findElement(By.cssSelector("[data-testid=tx-row][data-type=turn]"));
        paid.findElement(By.cssSelector("[data-testid=explain]")).click();
        WebElement explanation = browser.waitFor(By.cssSelector("[data-testid=explanation-text]"));
        JsonNode expected = getJson("/api/v1/turns/" + settled.get("turnId").asText() + "/explanation", api.admin());
        assertThat(explanation.getText().replace("\n", " ")).isEqualTo(expected.get("text").asText().replace("\n", " "));
        assertThat(browser.all("[data-testid=cost-part]")).hasSize(expected.get("parts").size());
        browser.screenshot("admin-account-explained");

        // Goodwill: 12.5 credits with a reason, reviewed, then confirmed.
        long adjustedBefore = booksAdjusted();
        WebElement form = browser.driver.findElement(By.cssSelector("[data-testid=goodwill-form]"));
        form.findElement(By.cssSelector("[data-testid=goodwill-amount]")).sendKeys("12.5");
        reasonAndReview(form, "Turn failed twice, ticket 981");
        String reviewText = browser.textOf("confirm");
        assertThat(reviewText).contains("Credit 12.500 credits").contains(credits(balance) + " → " + credits(balance + 12_500))
                .contains("Reason: Turn failed twice, ticket 981");
        assertThat(balance(player)).as("nothing moves before the confirmation").isEqualTo(balance);
        browser.screenshot("admin-goodwill-review");
        assertThat(confirm()).contains("Done");
        browser.waitForText("balance", credits(balance + 12_500));
        assertThat(balance(player)).isEqualTo(balance + 12_500);
        browser.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("[data-testid=tx-row]"), items.size() + 1));

        // The audit trail, filtered to this account, shows who did it and why.
        browser.driver.findElement(By.cssSelector("[data-testid=account-audit]")).click();
        WebElement row = browser.waitFor(By.cssSelector("[data-testid=audit-row][data-action=adjustment]"));
        assertThat(row.getText()).contains(agent).contains("Turn failed twice, ticket 981").contains("applied");
        assertThat(browser.all("[data-testid=audit-row]")).allMatch(r -> r.getText().contains(player));
        browser.screenshot("admin-audit");

        // The books of the day carry the adjustment, and the day balances.
        assertThat(booksAdjusted() - adjustedBefore).isEqualTo(12_500);
        openAsAgent("/admin/books?from=2026-09-01&to=" + DAY);
        WebElement day = browser.waitFor(By.cssSelector("[data-testid=books-day][data-day='" + DAY + "']"));
        assertThat(browser.all("[data-testid=books-day]")).hasSize(14);
        assertThat(day.getText()).contains(credits(booksAdjusted()));
        assertThat(day.getDomAttribute("data-balanced")).isEqualTo("true");
        browser.waitFor(By.cssSelector("[data-testid=books-chart]"));
        browser.screenshot("admin-books");
    }

    @Test
    void aRefundIsReviewedThenTakesTheCreditsBack() {
        String player = id("u-refund");
        Api.Response created = api.post("/api/v1/checkout-sessions", api.player(player), Map.of("packId", "pack-small"));
        String session = created.json().get("id").asText();
        assertThat(api.raw("POST", "/checkout/simulated/" + session + "/pay", null, "",
                Map.of("Content-Type", "application/x-www-form-urlencoded")).status()).isEqualTo(303);
        long granted = balance(player);
        assertThat(granted).isPositive();

        openAsAgent("/admin/accounts/" + player);
        browser.waitForText("balance", credits(granted));
        WebElement purchase = browser.waitFor(By.cssSelector("[data-testid=purchase-row][data-session-id='" + session + "']"));
        purchase.findElement(By.cssSelector("[data-testid=refund]")).click();
        WebElement form = browser.waitFor(By.cssSelector("[data-testid=refund-amount]")).findElement(By.xpath("ancestor::form"));
        reasonAndReview(form, "Bought the wrong pack");
        assertThat(browser.textOf("confirm")).contains("Takes back " + credits(granted) + " credits")
                .contains(credits(granted) + " → " + credits(0));
        assertThat(confirm()).contains("refunded");
        browser.waitForText("balance", credits(0));
        browser.waitFor(By.cssSelector("[data-testid=tx-row][data-type=refund]"));
        assertThat(getJson("/api/v1/admin/audit?accountId=" + player + "&limit=1", api.admin()).get("items").get(0)
                .get("action").asText()).isEqualTo("refund");
        assertReconciled();
    }

    @Test
    void aStuckHoldIsReleasedWithAReason() {
        String player = id("u-stuck");
        adjust(player, 300_000);
        String turnId = id("t");
        Api.Response auth = api.post("/api/v1/turns", api.engine(), Map.of("turnId", turnId, "accountId", player,
                "journeyId", id("j"), "worldId", world(id("owner"), true), "modelId", MODEL, "purpose", "world_text",
                "maxOutputTokens", 500, "expectedInputTokens", 8000));
        assertThat(auth.status()).isEqualTo(201);
        long hold = auth.json().get("holdMillicredits").asLong();

        openAsAgent("/admin/accounts/" + player);
        browser.waitForText("held", credits(hold));
        browser.waitFor(By.cssSelector("[data-testid=hold-row][data-turn-id='" + turnId + "'] [data-testid=release-hold]")).click();
        WebElement form = browser.waitFor(By.cssSelector("textarea#release-reason")).findElement(By.xpath("ancestor::form"));
        form.findElement(By.xpath(".//button[normalize-space()='Review']")).click();
        assertThat(browser.all("[data-testid=confirm]")).as("no review without a reason").isEmpty();
        reasonAndReview(form, "Engine lost the turn");
        assertThat(browser.textOf("confirm")).contains("Release " + credits(hold) + " credits held by turn " + turnId);
        assertThat(confirm()).contains("voided");
        browser.waitForText("held", credits(0));
        browser.waitForText("open-holds", "0");
        assertThat(account(player).get("heldMillicredits").asLong()).isZero();
        assertThat(getJson("/api/v1/admin/audit?accountId=" + player + "&limit=1", api.admin()).get("items").get(0)
                .get("action").asText()).isEqualTo("hold_release");
    }

    @Test
    void withoutAnAdminTokenTheConsoleShowsNothing() {
        String player = id("u-nosy");
        adjust(player, 1_000);
        browser.open("/admin/accounts/" + player);
        assertThat(browser.textOf("admin-sign-in")).contains("admin token");
        browser.open("/admin");
        browser.open("/admin/accounts/" + player + "#token=" + api.player(player));
        assertThat(browser.textOf("admin-sign-in")).contains("no admin role");
        assertThat(browser.all("[data-testid=balance]")).isEmpty();
        assertThat(browser.all("[data-testid=tx-row]")).isEmpty();
    }

    @Test
    void theEstimateAccuracyPageShowsOverallPerModelAndPerDay() {
        String player = id("acc-p");
        String world = id("acc-w");
        assertThat(api.put("/api/v1/worlds/" + world, api.engine(), java.util.Map.of("ownerId", id("acc-o"),
                "title", "Accuracy", "published", true)).status()).isEqualTo(200);
        String turn = id("acc-t");
        var a = api.post("/api/v1/turns", api.engine(), java.util.Map.of("turnId", turn, "accountId", player,
                "journeyId", id("acc-j"), "worldId", world, "modelId", MODEL));
        assertThat(a.status()).as(a.toString()).isEqualTo(201);
        var s = api.post("/api/v1/turns/" + turn + "/settle", api.engine(), java.util.Map.of("usage",
                java.util.Map.of("inputTokens", 6000, "outputTokens", 400)));
        assertThat(s.status()).as(s.toString()).isEqualTo(200);
        openAsAgent("/admin/estimates");
        assertThat(browser.textOf("accuracy-overall")).contains("landed within the range");
        browser.waitFor(By.cssSelector("[data-testid=accuracy-model]"));
        browser.waitFor(By.cssSelector("[data-testid=accuracy-group]"));
        browser.waitFor(By.cssSelector("[data-testid=accuracy-day]"));
        browser.screenshot("admin-estimates");
    }

    @Test
    void theOtherPagesShowPayoutsReconciliationModelsAndStripeEvents() {
        openAsAgent("/admin/reconciliation");
        assertThat(browser.textOf("reconciliation-status")).contains("checks pass");
        browser.open("/admin/stripe-events");
        browser.waitFor(By.cssSelector("[data-testid=stripe-event]"));
        browser.open("/admin/payouts");
        browser.waitFor(By.xpath("//h2[starts-with(normalize-space(), 'Pending')]"));
        browser.open("/admin/models");
        List<WebElement> models = browser.waiting().until(d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("[data-testid=model-row]"));
            return rows.isEmpty() ? null : rows;
        });
        assertThat(models).hasSizeGreaterThan(3);
        browser.screenshot("admin-models");
    }

    @Test
    void aPriceChangeShowsWhatATypicalTurnWillCostBeforeItIsMade() {
        String modelId = id("console-model");
        Api.Response created = api.put("/api/v1/admin/models/" + modelId, api.admin(), Map.of("name", "Console Test",
                "provider", "test", "tier", "standard", "creditsOnly", true, "isDefault", false, "prices",
                Map.of("inputUsdPerMTok", "1", "cacheReadUsdPerMTok", "0.1", "cacheWriteUsdPerMTok", "1.25",
                        "outputUsdPerMTok", "5", "usdPerImage", "0"), "cacheTtlSeconds", 300));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);

        openAsAgent("/admin/models");
        browser.waitFor(By.cssSelector("[data-testid=model-row][data-model-id='" + modelId + "'] [data-testid=edit-prices]")).click();
        WebElement output = browser.waitFor(By.cssSelector("[data-testid=price-outputUsdPerMTok]"));
        output.clear();
        output.sendKeys("10");
        WebElement form = browser.driver.findElement(By.cssSelector("[data-testid=price-form]"));
        form.findElement(By.cssSelector("textarea[name=reason]")).sendKeys("Provider raised output prices");
        form.findElement(By.cssSelector("[data-testid=price-review]")).click();
        // The catalog's generic typical first turn: 9,000 input tokens at $1 and 450 output tokens at $5 → $10.
        assertThat(browser.textOf("price-change-first")).isEqualTo("Typical first turn: 11.250 → 13.500 credits (+2.250).");
        assertThat(browser.textOf("confirm")).contains("Output: $5 → $10");
        assertThat(api.get("/api/v1/admin/models/" + modelId + "/typical-turn", api.admin()).json()
                .get("currentPrices").get("outputUsdPerMTok").asText()).as("nothing changes before the confirmation").isEqualTo("5");
        assertThat(confirm()).contains("Saved");
        assertThat(api.get("/api/v1/admin/models/" + modelId + "/typical-turn", api.admin()).json()
                .get("currentPrices").get("outputUsdPerMTok").asText()).isEqualTo("10");
        JsonNode audit = getJson("/api/v1/admin/audit?actor=" + agent + "&limit=1", api.admin()).get("items").get(0);
        assertThat(audit.get("action").asText()).isEqualTo("model_change");
        assertThat(audit.get("reason").asText()).isEqualTo("Provider raised output prices");
    }
}
