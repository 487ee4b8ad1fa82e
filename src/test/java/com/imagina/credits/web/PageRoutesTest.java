package com.imagina.credits.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract's page paths serve their HTML to anyone (the data needs a token, the pages do not). */
class PageRoutesTest extends ApiTest {

    @Test
    void everyPagePathServesItsHtmlWithAStrictPolicy() {
        Map<String, String> pages = Map.of(
                "/", "/js/pages/dashboard.js",
                "/history", "/js/pages/history.js",
                "/buy", "/js/pages/buy.js",
                "/buy/success?session_id=cs_1", "/js/pages/buy-success.js",
                "/buy/cancel", "/js/pages/buy-cancel.js",
                "/models?worldId=w&journeyId=j", "/js/pages/models.js",
                "/journeys/j-123", "/js/pages/journey.js",
                "/worlds", "/js/pages/worlds.js");
        pages.forEach((path, script) -> {
            Api.Response r = api.get(path, null);
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.contentType()).as(path).startsWith("text/html");
            assertThat(r.body()).as(path).contains("<script type=\"module\" src=\"" + script + "\">")
                    .contains("href=\"/css/app.css\"").doesNotContain("http://").doesNotContain("https://")
                    // One shell for all pages: every placeholder filled, a heading and a title of its own.
                    .doesNotContain("{{").containsPattern("<title>[^<]+ · Imagina Credits</title>")
                    .containsPattern("<h1>[^<]+</h1>");
            assertThat(r.headers().get("content-security-policy")).as(path).anyMatch(csp -> csp.contains("script-src 'self'"));
        });
    }

    @Test
    void scriptsAndStylesAreServedFromTheServiceItself() {
        for (String asset : new String[] {"/js/money.js", "/js/session.js", "/js/layout.js", "/js/chart.js", "/css/app.css"}) {
            Api.Response r = api.get(asset, null);
            assertThat(r.status()).as(asset).isEqualTo(200);
            assertThat(r.body()).as(asset).doesNotContain("https://");
        }
        assertThat(api.get("/js/money.js", null).contentType()).contains("javascript");
    }

    @Test
    void devSignInFormHasTheContractsFieldsAndMintsAWorkingToken() {
        Api.Response form = api.get("/dev/sign-in", null);
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.body()).contains("name=\"accountId\"").contains("name=\"role\"").contains("type=\"submit\"")
                .contains("<option value=\"player\"").contains("<option value=\"engine\"").contains("<option value=\"admin\"");

        String player = id("web-route");
        Api.Response signedIn = api.raw("POST", "/dev/sign-in", null, "accountId=" + player + "&role=player",
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertThat(signedIn.status()).isEqualTo(303);
        String location = signedIn.headers().get("location").get(0);
        assertThat(location).startsWith("/#token=");
        String token = location.substring("/#token=".length());
        Api.Response me = api.get("/api/v1/accounts/me", token);
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.json().get("accountId").asText()).isEqualTo(player);
        // A player token, not more: the admin API refuses it.
        assertThat(api.get("/api/v1/admin/reconciliation", token).status()).isEqualTo(403);
    }
}
