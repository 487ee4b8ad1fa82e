package com.imagina.credits.web;


/**
 * The dashboard's pages. They share one shell ({@code web/page.html}: head, header, footer, a loading
 * line) and differ only in their title and their ES module, which fetches the data and draws the page;
 * so the shell is written once and each page is a row here. Rendered once, when the class loads.
 */
enum DashboardPage {
    DASHBOARD("Your credits", "dashboard"),
    HISTORY("History", "history"),
    BUY("Buy credits", "buy"),
    BUY_SUCCESS("Payment received", "buy-success"),
    BUY_CANCEL("Checkout cancelled", "buy-cancel"),
    MODELS("Choose a model", "models"),
    JOURNEY("Journey credits", "journey"),
    WORLDS("My worlds", "worlds");

    private final byte[] html;

    DashboardPage(String title, String script) {
        this.html = PageShell.render("web/page.html", title, script);
    }

    byte[] html() {
        return html.clone();
    }
}
