package com.imagina.credits.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The live dashboard (static/js/live.js): the balance shown follows the account without a reload, the
 * player sets the low-balance threshold in the page, and the notice appears when the available balance
 * falls under it and goes when it is back above.
 */
class LiveDashboardBrowserTest extends BrowserTestBase {

    @Test
    void theBalanceUpdatesLiveAndTheLowBalanceNoticeFollowsTheThreshold() {
        String player = id("web-live");
        browser.signIn(player, "player");
        browser.waitFor(By.cssSelector("[data-testid=alert-form]"));

        adjust(player, 100_000);
        browser.waitForText("balance", "100.000"); // no reload: the poll saw it

        WebElement input = browser.driver.findElement(By.name("lowBalanceCredits"));
        input.clear();
        input.sendKeys("60");
        browser.driver.findElement(By.cssSelector("[data-testid=alert-form] button[type=submit]")).click();
        browser.waitForText("alert-status", "Alert saved: below 60.000 credits.");
        assertThat(getJson("/api/v1/accounts/" + player + "/alerts", api.player(player))
                .get("lowBalanceMillicredits").asLong()).isEqualTo(60_000);

        adjust(player, -50_000);
        browser.waitForText("balance", "50.000");
        assertThat(browser.textOf("low-balance-notice")).contains("Low balance").contains("50.000")
                .contains("60.000");
        browser.waitForText("live-event", "Your available balance fell below 60.000 credits.");
        browser.screenshot("dashboard-low-balance");

        adjust(player, 20_000);
        browser.waitForText("balance", "70.000");
        browser.waiting().until(ExpectedConditions.invisibilityOfElementLocated(
                By.cssSelector("[data-testid=low-balance-notice]")));
    }
}
