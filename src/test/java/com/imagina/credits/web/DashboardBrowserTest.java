package com.imagina.credits.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** Signing in, the balance and free turns on "/", and the daily spending cap form. */
class DashboardBrowserTest extends BrowserTestBase {

    @Test
    void newPlayerSignsInAndSeesZeroBalanceAndFiveFreeTurns() {
        String player = id("web-new");
        browser.signIn(player, "player");

        assertThat(browser.textOf("balance")).isEqualTo("0.000");
        assertThat(browser.textOf("free-turns")).isEqualTo("5");
        assertThat(browser.textOf("free-turns-reset")).contains("00:00 UTC");
        // The token moved from the address into the tab's storage.
        assertThat(browser.driver.getCurrentUrl()).doesNotContain("token");
        assertThat((String) browser.script("return sessionStorage.getItem('imagina.credits.token')")).isNotBlank();
        assertThat(browser.textOf("daily-limit")).isEqualTo("No cap");
        browser.screenshot("dashboard-new-player");
    }

    @Test
    void fundedBalanceMatchesTheApiWithThousandsSeparators() {
        String player = id("web-funded");
        browser.signIn(player, "player");
        adjust(player, 1_234_500);
        browser.driver.navigate().refresh();

        browser.waitForText("balance", "1,234.500");
        assertThat(browser.textOf("balance")).isEqualTo(credits(balance(player)));
        // Nav reaches every page.
        List<String> links = browser.all("nav a").stream().map(a -> a.getDomAttribute("href")).toList();
        assertThat(links).containsExactly("/", "/history", "/buy", "/models", "/worlds");
        browser.screenshot("dashboard");

        browser.width(390);
        browser.driver.navigate().refresh();
        browser.waitForText("balance", "1,234.500");
        assertThat(browser.fitsWidth()).as("no sideways scrolling at 390px").isTrue();
        browser.screenshot("dashboard-390px");
    }

    @Test
    void dailyCapIsSetThroughTheFormAndRemoved() {
        String player = id("web-cap");
        browser.signIn(player, "player");

        submitCap("12.5");
        browser.waitForText("daily-limit", "12.500 credits a day");
        assertThat(account(player).at("/limits/dailySpendLimitMillicredits").asLong()).isEqualTo(12_500);
        assertThat(browser.textOf("spent-today")).isEqualTo("0.000 of 12.500 credits");

        // An ambiguous amount is refused in the page and changes nothing.
        submitCap("1,5");
        WebElement error = browser.waitFor(By.id("limit-error"));
        assertThat(error.getText()).contains("dot for decimals");
        assertThat(browser.driver.findElement(By.name("dailySpendLimitCredits")).getDomAttribute("aria-invalid"))
                .isEqualTo("true");
        assertThat(account(player).at("/limits/dailySpendLimitMillicredits").asLong()).isEqualTo(12_500);

        submitCap("1,000.001");
        browser.waitForText("daily-limit", "1,000.001 credits a day");
        assertThat(account(player).at("/limits/dailySpendLimitMillicredits").asLong()).isEqualTo(1_000_001);
        browser.screenshot("dashboard-daily-cap");

        browser.driver.findElement(By.cssSelector("[data-testid=limit-form] [data-action=remove]")).click();
        browser.waitForText("daily-limit", "No cap");
        JsonNode limits = account(player).get("limits");
        assertThat(limits.get("dailySpendLimitMillicredits").isNull()).isTrue();
    }

    @Test
    void withoutATokenThePageAsksToSignInAndLinksToTheDevPage() {
        browser.open("/history");
        WebElement link = browser.waitFor(By.cssSelector("a[href='/dev/sign-in']"));
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).contains("Sign in");
        assertThat(browser.all("[data-testid=tx-row]")).isEmpty();
        link.click();
        browser.waitFor(By.name("accountId"));
    }

    @Test
    void aTokenInTheFragmentSignsInTheTabAndLeavesTheAddress() {
        String player = id("web-fragment");
        adjust(player, 7);
        browser.open("/#token=" + api.player(player));
        browser.waitForText("balance", "0.007");
        assertThat(browser.driver.getCurrentUrl()).endsWith("/");
        // Other pages of the tab reuse it.
        browser.open("/history");
        browser.waitFor(By.cssSelector("[data-testid=tx-row][data-type=adjustment]"));
    }

    @Test
    void anInvalidTokenEndsTheSessionAndAsksToSignIn() {
        browser.open("/#token=" + new com.imagina.credits.support.Api(api.baseUrl(), "some-other-secret").player("x"));
        browser.waitFor(By.cssSelector("#sign-in-heading"));
        assertThat(browser.script("return sessionStorage.getItem('imagina.credits.token')")).isNull();
    }

    @Test
    void scriptErrorsInThePageAreNoticed() {
        browser.open("/");
        browser.script("setTimeout(() => { throw new Error('deliberate test error'); });");
        browser.waiting().until(d -> !browser.scriptErrors().isEmpty());
    }

    @Test
    void devSignInRefusesAnAccountIdWithSpaces() {
        browser.open("/dev/sign-in");
        browser.driver.findElement(By.name("accountId")).sendKeys("two words");
        browser.driver.findElement(By.cssSelector("form button[type=submit]")).click();
        assertThat(browser.waitFor(By.cssSelector("[role=alert]")).getText()).contains("no spaces");
        browser.screenshot("dev-sign-in");
        assertThat(browser.driver.findElement(By.name("accountId")).getDomProperty("value")).isEqualTo("two words");
    }

    private void submitCap(String text) {
        WebElement input = browser.waitFor(By.name("dailySpendLimitCredits"));
        input.clear();
        input.sendKeys(text);
        browser.driver.findElement(By.cssSelector("[data-testid=limit-form] button[type=submit]")).click();
    }
}
