package com.imagina.credits.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.web.util.HtmlUtils;

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
        this.html = Shell.TEMPLATE.replace("{{title}}", HtmlUtils.htmlEscape(title))
                .replace("{{script}}", script)
                .getBytes(StandardCharsets.UTF_8);
    }

    byte[] html() {
        return html.clone();
    }

    /** Holder of the template: an enum's constructors cannot read a static field of the enum itself. */
    private static final class Shell {
        static final String TEMPLATE = read("web/page.html");

        private static String read(String resource) {
            try (InputStream in = DashboardPage.class.getClassLoader().getResourceAsStream(resource)) {
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
