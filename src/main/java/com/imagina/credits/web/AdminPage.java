package com.imagina.credits.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.web.util.HtmlUtils;

/**
 * The support console's pages ({@code /admin/...}): one shell ({@code web/admin-page.html}) and an ES
 * module each under {@code static/js/pages/admin-*.js}. The HTML is the same for everyone and holds no
 * data: the module calls the admin API with the tab's token, and the API answers 401/403 to anyone
 * without the admin role, so the page then shows nothing but a sign-in prompt.
 */
enum AdminPage {
    SEARCH("Support console", "admin-search"),
    ACCOUNT("Account", "admin-account"),
    AUDIT("Audit trail", "admin-audit"),
    BOOKS("Books", "admin-books"),
    PAYOUTS("Payouts", "admin-payouts"),
    RECONCILIATION("Reconciliation", "admin-reconciliation"),
    MODELS("Models and prices", "admin-models"),
    ESTIMATES("Estimate accuracy", "admin-estimates"),
    STRIPE_EVENTS("Stripe events", "admin-stripe-events");

    private final byte[] html;

    AdminPage(String title, String script) {
        this.html = Shell.TEMPLATE.replace("{{title}}", HtmlUtils.htmlEscape(title))
                .replace("{{script}}", script)
                .getBytes(StandardCharsets.UTF_8);
    }

    byte[] html() {
        return html.clone();
    }

    private static final class Shell {
        static final String TEMPLATE = read("web/admin-page.html");

        private static String read(String resource) {
            try (InputStream in = AdminPage.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing page template " + resource);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
