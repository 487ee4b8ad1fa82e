package com.imagina.credits.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.Api;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** Buying a pack through the (simulated) checkout, the cancel page, and "My worlds". */
class BuyAndWorldsBrowserTest extends BrowserTestBase {

    @Test
    void buyingAPackThroughTheSimulatedCheckoutAddsItsCredits() {
        Api.Response packsResponse = api.get("/api/v1/packs", api.player(id("probe")));
        assertThat(packsResponse.status()).as(packsResponse.toString()).isEqualTo(200);
        JsonNode packs = packsResponse.json().get("packs");
        assertThat(packs.size()).isPositive();

        String player = id("web-buyer");
        browser.signIn(player, "player");
        browser.open("/buy");
        browser.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("[data-testid=pack]"), packs.size()));
        JsonNode pack = packs.get(0);
        WebElement card = browser.driver.findElement(By.cssSelector("[data-testid=pack][data-pack-id='" + pack.get("id").asText() + "']"));
        assertThat(card.getText()).contains(credits(pack.get("grantMillicredits").asLong()).replace(".000", "") + " credits");
        browser.screenshot("buy");

        card.findElement(By.tagName("button")).click();
        // The checkout page (simulated without a Stripe key) has a "Pay" submit button.
        WebElement pay = browser.waiting().until(d -> d.findElements(By.cssSelector("button[type=submit], input[type=submit]"))
                .stream().filter(b -> (b.getText() + b.getDomAttribute("value")).toLowerCase().contains("pay")).findFirst().orElse(null));
        browser.screenshot("checkout-simulated");
        pay.click();

        browser.waiting().until(ExpectedConditions.urlContains("/buy/success"));
        long expected = pack.get("grantMillicredits").asLong() + pack.get("bonusMillicredits").asLong();
        browser.waitForText("balance", credits(expected));
        assertThat(balance(player)).isEqualTo(expected);
        browser.screenshot("buy-success");
    }

    /**
     * The buy page's own logic whatever the payments branch does: packs in the contract's shape
     * (stubbed), Buy posts the pack id with the player's token and follows the session URL, and the
     * success page waits until the balance grows (here an adjustment plays the webhook's part).
     */
    @Test
    void buyPageOpensTheCheckoutAndTheSuccessPageWaitsForTheCredits() {
        String player = id("web-buy-stub");
        browser.signIn(player, "player");
        String stub = """
                const packs = { packs: [
                  { id: 'pack-small', name: 'Small pack', priceCents: 499, currency: 'usd',
                    grantMillicredits: 5000000, bonusMillicredits: 0 },
                  { id: 'pack-large', name: 'Large pack', priceCents: 1999, currency: 'usd',
                    grantMillicredits: 20000000, bonusMillicredits: 2500000 }] };
                const realFetch = window.fetch.bind(window);
                window.fetch = (input, init = {}) => {
                  const path = new URL(typeof input === 'string' ? input : input.url, location.href).pathname;
                  const json = (status, body) => Promise.resolve(new Response(JSON.stringify(body),
                    { status, headers: { 'Content-Type': 'application/json' } }));
                  if (path === '/api/v1/packs') return json(200, packs);
                  if (path === '/api/v1/checkout-sessions' && init.method === 'POST') {
                    const { packId } = JSON.parse(init.body);
                    const signedIn = String(init.headers?.Authorization ?? '').startsWith('Bearer ey');
                    return json(201, { id: 'cs_test_1',
                      url: `/buy/success?session_id=cs_test_1&pack=${packId}&auth=${signedIn}` });
                  }
                  return realFetch(input, init);
                };
                """;
        ChromeDriver chrome = (ChromeDriver) browser.driver;
        Map<String, Object> added = chrome.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", stub));
        try {
            browser.open("/buy");
            browser.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("[data-testid=pack]"), 2));
            WebElement large = browser.driver.findElement(By.cssSelector("[data-testid=pack][data-pack-id=pack-large]"));
            assertThat(large.getText()).contains("$19.99").contains("20,000 credits").contains("+2,500 bonus")
                    .contains("22,500 credits in all");
            assertThat(browser.driver.findElements(By.cssSelector("[data-pack-id=pack-small] [data-testid=bonus]"))).isEmpty();
            browser.screenshot("buy-packs");

            large.findElement(By.cssSelector("button")).click();
            browser.waiting().until(ExpectedConditions.urlContains("/buy/success?session_id=cs_test_1&pack=pack-large&auth=true"));
            browser.waitFor(By.cssSelector("main .loading"));
            adjust(player, 22_500_000); // the payment's webhook, as far as the page can tell
            browser.waitForText("balance", "22,500.000");
            assertThat(browser.driver.findElement(By.tagName("main")).getText()).contains("22,500.000 credits were added");
            browser.screenshot("buy-success");
        } finally {
            chrome.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", added.get("identifier")));
        }
    }

    @Test
    void cancelledCheckoutSaysNothingWasCharged() {
        browser.signIn(id("web-cancel"), "player");
        browser.open("/buy/cancel");
        assertThat(browser.textOf("nothing-charged")).contains("Nothing was charged");
        browser.screenshot("buy-cancel");
    }

    @Test
    void myWorldsListsOwnedWorldsOrSaysThereAreNone() {
        String owner = id("web-owner");
        String worldId = world(owner, true);
        browser.signIn(owner, "player");
        browser.open("/worlds");
        Api.Response list = api.get("/api/v1/worlds?ownerId=me", api.player(owner));
        if (list.status() == 200) {
            WebElement block = browser.waitFor(By.cssSelector("[data-testid=world-earnings][data-world-id='" + worldId + "']"));
            JsonNode earnings = getJson("/api/v1/worlds/" + worldId + "/earnings", api.player(owner));
            browser.waiting().until(d -> !block.findElements(By.cssSelector("[data-testid=authoring-spent]")).isEmpty());
            assertThat(block.findElement(By.cssSelector("[data-testid=authoring-spent]")).getText())
                    .isEqualTo(credits(earnings.get("authoringSpentMillicredits").asLong()));
        } else {
            assertThat(browser.textOf("no-worlds")).contains("No worlds yet");
        }
        browser.screenshot("worlds");
    }

    /**
     * The earnings endpoints come from another branch: here the page is fed the contract's shapes
     * through a fetch stub installed before its scripts run, to check what it draws from them.
     */
    @Test
    void myWorldsDrawsEarningsAgainstAuthoringCostFromTheContractShape() {
        browser.signIn(id("web-creator"), "player");
        String stub = """
                const days = Array.from({ length: 10 }, (_, i) => ({
                  day: `2026-11-${String(24 - i).padStart(2, '0')}`, paidPlays: 3 + i, players: 2,
                  playSpendMillicredits: 40000 + i * 1000, shareMillicredits: 8000 + i * 200 + 50, paidOut: i > 0 }));
                const bodies = {
                  '/api/v1/worlds': { worlds: [
                    { worldId: 'w-salt', title: 'The Salt Road', published: true },
                    { worldId: 'w-tiny', title: 'Tiny Tower', published: true },
                    { worldId: 'w-locked', title: 'Locked', published: false }] },
                  '/api/v1/worlds/w-salt/earnings': { worldId: 'w-salt', ownerId: 'me', published: true,
                    authoringSpentMillicredits: 120000, earnedMillicredits: 80000, pendingMillicredits: 15500, days },
                  '/api/v1/worlds/w-tiny/earnings': { worldId: 'w-tiny', ownerId: 'me', published: true,
                    authoringSpentMillicredits: 5000, earnedMillicredits: 9000, pendingMillicredits: 0, days: [] },
                };
                const realFetch = window.fetch.bind(window);
                window.fetch = (input, init) => {
                  const path = new URL(typeof input === 'string' ? input : input.url, location.href).pathname;
                  if (path === '/api/v1/worlds/w-locked/earnings') {
                    return Promise.resolve(new Response(JSON.stringify({ status: 403, code: 'forbidden',
                      detail: 'Only the owner or an admin may do that.' }), { status: 403,
                      headers: { 'Content-Type': 'application/problem+json' } }));
                  }
                  if (path in bodies) {
                    return Promise.resolve(new Response(JSON.stringify(bodies[path]),
                      { status: 200, headers: { 'Content-Type': 'application/json' } }));
                  }
                  return realFetch(input, init);
                };
                """;
        ChromeDriver chrome = (ChromeDriver) browser.driver;
        Map<String, Object> added = chrome.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", stub));
        try {
            browser.open("/worlds");
            browser.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("[data-testid=world-earnings]"), 3));
            WebElement salt = browser.waitFor(By.cssSelector("[data-world-id=w-salt] [data-testid=break-even]"));
            assertThat(salt.getText()).contains("24.500 credits to go");
            WebElement saltBlock = browser.driver.findElement(By.cssSelector("[data-world-id=w-salt]"));
            assertThat(saltBlock.findElement(By.cssSelector("[data-testid=authoring-spent]")).getText()).isEqualTo("120.000");
            assertThat(saltBlock.findElement(By.cssSelector("[data-testid=pending]")).getText()).isEqualTo("15.500");
            assertThat(saltBlock.findElements(By.cssSelector("[data-testid=earnings-day]"))).hasSize(10);
            assertThat(saltBlock.findElements(By.cssSelector("svg .bar-share"))).hasSize(10);
            assertThat(saltBlock.findElements(By.cssSelector("svg path.line-cumulative"))).hasSize(1);
            assertThat(saltBlock.findElement(By.cssSelector("svg .label-breakeven")).getText()).contains("120.000");
            assertThat(browser.driver.findElement(By.cssSelector("[data-world-id=w-tiny] [data-testid=break-even]")).getText())
                    .contains("Paid for itself: +4.000");
            assertThat(browser.waitFor(By.cssSelector("[data-world-id=w-locked] [role=alert]")).getText())
                    .contains("Only the owner");
            browser.screenshot("worlds-earnings");
            browser.width(360);
            browser.waitFor(By.cssSelector("[data-world-id=w-salt] svg.chart.narrow")); // redrawn for the phone
            assertThat(browser.fitsWidth()).as("no sideways scrolling at 360px").isTrue();
            browser.screenshot("worlds-earnings-360px");
        } finally {
            chrome.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", added.get("identifier")));
        }
    }

    @Test
    void moneyFormattingIsExactIntegerArithmetic() {
        browser.open("/buy/cancel");
        @SuppressWarnings("unchecked")
        List<Object> results = (List<Object>) browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                import('/js/money.js').then((m) => {
                  const parse = (t) => { try { return m.parseCredits(t).toString(); } catch (e) { return 'error'; } };
                  done([
                    m.formatCredits(0), m.formatCredits(1234500), m.formatCredits(-5), m.formatCredits(999),
                    m.formatCredits(9007199254740991), m.formatCredits(1000, { sign: true }),
                    m.formatCredits(1234567, { grouping: false }),
                    parse('12.5'), parse('0.001'), parse('1,000.25'), parse('1,5'), parse('0.0005'),
                    parse('-3'), parse('abc'), parse('1000000000'), parse('1000000000.001'), parse(' 7 '),
                    m.formatPrice(999, 'usd').replace(/\\s/g, ''), m.formatPrice(1000, 'jpy').includes('1,000'),
                  ]);
                }).catch((e) => done(['failed: ' + e]));
                """);
        assertThat(results).containsExactly(
                "0.000", "1,234.500", "-0.005", "0.999",
                "9,007,199,254,740.991", "+1.000",
                "1234.567",
                "12500", "1", "1000250", "error", "error",
                "error", "error", "1000000000000", "error", "7000",
                "$9.99", true);
    }
}
