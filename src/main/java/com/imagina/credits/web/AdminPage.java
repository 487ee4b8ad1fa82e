package com.imagina.credits.web;


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
    STRIPE_EVENTS("Stripe events", "admin-stripe-events"),
    WEBHOOKS("Webhook deliveries", "admin-webhooks");

    private final byte[] html;

    AdminPage(String title, String script) {
        this.html = PageShell.render("web/admin-page.html", title, script);
    }

    byte[] html() {
        return html.clone();
    }
}
