package com.imagina.credits.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console's pages serve the same data-free HTML to anyone; what they show comes from the admin API,
 * which answers nothing without the admin role.
 */
class AdminPageRoutesTest extends ApiTest {

    @Test
    void everyConsolePathServesItsShellWithAStrictPolicy() {
        Map<String, String> pages = Map.of(
                "/admin", "/js/pages/admin-search.js",
                "/admin/accounts/u-1", "/js/pages/admin-account.js",
                "/admin/audit?accountId=u-1", "/js/pages/admin-audit.js",
                "/admin/books", "/js/pages/admin-books.js",
                "/admin/payouts", "/js/pages/admin-payouts.js",
                "/admin/reconciliation", "/js/pages/admin-reconciliation.js",
                "/admin/models", "/js/pages/admin-models.js",
                "/admin/stripe-events", "/js/pages/admin-stripe-events.js");
        pages.forEach((path, script) -> {
            Api.Response r = api.get(path, null);
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.contentType()).as(path).startsWith("text/html");
            assertThat(r.body()).as(path).contains("<script type=\"module\" src=\"" + script + "\">")
                    .contains("href=\"/css/admin.css\"").doesNotContain("{{").doesNotContain("https://")
                    .containsPattern("<title>[^<]+ · Imagina Credits</title>");
            assertThat(r.headers().get("content-security-policy")).as(path).anyMatch(csp -> csp.contains("script-src 'self'"));
        });
        for (String asset : new String[] {"/js/admin/console.js", "/js/admin/books-chart.js", "/css/admin.css"}) {
            assertThat(api.get(asset, null).status()).as(asset).isEqualTo(200);
        }
    }

    @Test
    void theDataBehindTheConsoleNeedsTheAdminRole() {
        String player = id("u-pages");
        for (String path : new String[] {"/api/v1/admin/lookup?q=" + player, "/api/v1/admin/accounts/" + player,
                "/api/v1/admin/audit", "/api/v1/admin/books", "/api/v1/admin/payouts", "/api/v1/admin/reconciliation",
                "/api/v1/admin/stripe-events", "/api/v1/admin/models/claude-sonnet-4-5/typical-turn"}) {
            assertThat(api.get(path, null).status()).as(path).isEqualTo(401);
            assertThat(api.get(path, api.player(player)).status()).as(path).isEqualTo(403);
            assertThat(api.get(path, api.engine()).status()).as(path).isEqualTo(403);
        }
    }
}
