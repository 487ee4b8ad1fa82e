package com.imagina.credits.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.Api;
import com.imagina.credits.support.WebhookReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The webhook delivery log in the support console, in Chromium: a real receiver registered through the API, an
 * admin grant that publishes {@code grant.created}, its delivery row on {@code /admin/webhooks}, and "resend"
 * (reason, review, confirm) sending the same event id to the receiver again.
 */
class AdminWebhooksBrowserTest extends BrowserTestBase {
    WebhookReceiver receiver;
    String endpointId;

    @AfterEach
    void removeEndpoint() {
        if (endpointId != null) {
            api.raw("DELETE", "/api/v1/admin/webhook-endpoints/" + endpointId, api.admin(), null, Map.of());
        }
        if (receiver != null) receiver.close();
    }

    @Test
    void theDeliveryLogShowsAGrantsEventAndResendSendsItAgain() {
        receiver = new WebhookReceiver();
        Api.Response created = api.post("/api/v1/admin/webhook-endpoints", api.admin(),
                Map.of("url", receiver.url(), "eventTypes", List.of("grant.created")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        endpointId = created.json().get("id").asText();
        receiver.secret(created.json().get("secret").asText());

        String player = id("u-hooked");
        Api.Response grant = api.post("/api/v1/admin/grants", api.admin(), Map.of("grantId", id("g"), "accountId", player,
                "amountMillicredits", 5_000, "kind", "promotional", "reason", "webhook page test"));
        assertThat(grant.status()).as(grant.toString()).isEqualTo(201);
        assertThat(WebhookReceiver.await(Duration.ofSeconds(30), () -> receiver.deliveredOf(player).size() == 1))
                .as("grant.created delivered: %s", receiver.of(player)).isTrue();
        String eventId = receiver.deliveredOf(player).get(0).eventId();
        assertThat(receiver.deliveredOf(player).get(0).type()).isEqualTo("grant.created");

        browser.open("/admin/webhooks#token=" + api.token(id("support-wes"), "admin"));
        WebElement endpoint = browser.waitFor(By.cssSelector("[data-testid=webhook-endpoint-row][data-endpoint-id='"
                + endpointId + "']"));
        assertThat(endpoint.getText()).contains(receiver.url()).contains("grant.created");
        endpoint.findElement(By.cssSelector("[data-testid=show-deliveries]")).click();
        By row = By.cssSelector("[data-testid=delivery-row][data-event-id='" + eventId + "']");
        browser.waitFor(row);
        browser.waiting().until(ExpectedConditions.attributeToBe(row, "data-state", "delivered"));
        // The log refreshes itself, replacing its rows: every read finds the row again (a stale one is retried).
        String deliveryText = browser.waiting().until(d -> d.findElement(row).getText());
        assertThat(deliveryText).contains("grant.created").contains(player).contains("200").contains("ms");
        String attempts = browser.waiting().until(d -> d.findElement(row)
                .findElement(By.cssSelector("[data-testid=attempts]")).getText());
        assertThat(attempts).isEqualTo("1");
        assertThat(browser.driver.getCurrentUrl()).contains("endpoint=" + endpointId);
        browser.screenshot("admin-webhooks");

        browser.waiting().until(d -> {
            d.findElement(row).findElement(By.cssSelector("[data-testid=resend]")).click();
            return true;
        });
        WebElement form = browser.waitFor(By.cssSelector("[data-testid=resend-form]"));
        form.findElement(By.cssSelector("textarea[name=reason]")).sendKeys("Game lost the grant notice, ticket 77");
        form.findElement(By.xpath(".//button[normalize-space()='Review']")).click();
        assertThat(browser.textOf("confirm")).contains("Send event " + eventId).contains("again")
                .contains("Reason: Game lost the grant notice, ticket 77");
        assertThat(receiver.of(player)).as("nothing is sent before the confirmation").hasSize(1);
        browser.driver.findElement(By.cssSelector("[data-testid=confirm-action]")).click();
        browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid=action-result] .notice-ok")));

        assertThat(WebhookReceiver.await(Duration.ofSeconds(30), () -> receiver.of(player).size() == 2))
                .as("the receiver gets the event again: %s", receiver.of(player)).isTrue();
        assertThat(receiver.of(player)).extracting(WebhookReceiver.Received::eventId).containsOnly(eventId);
        browser.waiting().until(ExpectedConditions.attributeToBe(row, "data-attempts", "2"));
        browser.waiting().until(ExpectedConditions.attributeToBe(row, "data-state", "delivered"));
        JsonNode audit = getJson("/api/v1/admin/audit?limit=1", api.admin()).get("items").get(0);
        assertThat(audit.get("action").asText()).isEqualTo("webhook_resend");
        assertThat(audit.toString()).contains("ticket 77");
    }

    @Test
    void thePageIsServedLikeTheOtherConsolePagesAndShowsNothingWithoutTheAdminRole() {
        Api.Response page = api.get("/admin/webhooks", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<script type=\"module\" src=\"/js/pages/admin-webhooks.js\">")
                .contains("<title>Webhook deliveries · Imagina Credits</title>");
        assertThat(page.headers().get("content-security-policy")).anyMatch(csp -> csp.contains("script-src 'self'"));
        String player = id("u-nosy");
        browser.open("/admin/webhooks#token=" + api.player(player));
        assertThat(browser.textOf("admin-sign-in")).contains("no admin role");
        assertThat(browser.all("[data-testid=webhook-endpoint-row]")).isEmpty();
    }
}
