package com.imagina.credits.payments;

import com.imagina.credits.payments.CheckoutSessions.SessionRow;
import com.imagina.credits.system.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The simulated checkout page, used while no Stripe secret key is configured: it shows the pack and
 * offers "Pay" (a form POST that sends a signed {@code checkout.session.completed} through the
 * webhook path, then redirects to {@code /buy/success?session_id=...}) or "Cancel" ({@code /buy/cancel}).
 * Plain HTML, no external resources.
 */
@RestController
class SimulatedCheckoutController {
    static final String PAGE = "/checkout/simulated/";

    private final CheckoutSessions sessions;
    private final SimulatedCheckout simulated;
    private final PackCatalog catalog;
    private final StripeKeys keys;

    SimulatedCheckoutController(CheckoutSessions sessions, SimulatedCheckout simulated, PackCatalog catalog,
            StripeKeys keys) {
        this.sessions = sessions;
        this.simulated = simulated;
        this.catalog = catalog;
        this.keys = keys;
    }

    @GetMapping(value = PAGE + "{sessionId}", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> page(@PathVariable String sessionId) {
        if (!keys.simulated()) throw ApiException.notFound("not_found", "No such resource.");
        Optional<SessionRow> row = sessions.find(sessionId).filter(simulated::payable);
        if (row.isEmpty()) {
            return html(HttpStatus.NOT_FOUND, page("Checkout not found",
                    "<p class=\"notice notice-error\">There is no simulated checkout session with this id.</p>"));
        }
        SessionRow s = row.get();
        String packName = catalog.find(s.packId()).map(Pack::name).orElse(s.packId());
        String id = HtmlUtils.htmlEscape(s.sessionId());
        String body = """
                <p class="notice" data-testid="simulated-note">Simulated checkout: no payment is taken. Stripe is not
                configured on this server.</p>
                <section class="card checkout">
                <dl class="facts">
                  <div><dt>Pack</dt><dd id="pack">%s</dd></div>
                  <div><dt>Price</dt><dd id="price">%s</dd></div>
                  <div><dt>Credits</dt><dd id="credits">%s + %s bonus</dd></div>
                  <div><dt>Status</dt><dd id="status">%s</dd></div>
                </dl>
                <form class="actions" method="post" action="%s%s/pay" onsubmit="this.querySelector('button').disabled = true">
                  <button class="button primary" type="submit" id="pay">Pay %s</button>
                  <a class="button ghost" href="/buy/cancel" id="cancel">Cancel</a>
                </form>
                </section>
                """.formatted(HtmlUtils.htmlEscape(packName), HtmlUtils.htmlEscape(Money.format(s.amountCents(),
                        s.currency())), credits(s.grantMillicredits()), credits(s.bonusMillicredits()),
                HtmlUtils.htmlEscape(s.status().wireName()), PAGE, id, HtmlUtils.htmlEscape(Money.format(s.amountCents(),
                        s.currency())));
        return html(HttpStatus.OK, page("Checkout — " + packName, body));
    }

    @PostMapping(PAGE + "{sessionId}/pay")
    ResponseEntity<String> pay(@PathVariable String sessionId, HttpServletRequest request) {
        // Not simulating: the page and its "Pay" do not exist (a grant without payment must be impossible).
        if (!keys.simulated()) throw ApiException.notFound("not_found", "No such resource.");
        Optional<SessionRow> row = sessions.find(sessionId).filter(simulated::payable);
        if (row.isEmpty()) {
            return html(HttpStatus.NOT_FOUND, page("Checkout not found",
                    "<p class=\"notice notice-error\">There is no simulated checkout session with this id.</p>"));
        }
        simulated.pay(row.get(), BaseUrl.of(keys, request));
        return ResponseEntity.status(HttpStatus.SEE_OTHER)
                .location(URI.create("/buy/success?session_id=" + URLEncoder.encode(sessionId, StandardCharsets.UTF_8)))
                .build();
    }

    private static String credits(long millicredits) {
        return BigDecimal.valueOf(millicredits, 3).stripTrailingZeros().toPlainString();
    }

    /** Styled like the dashboard's pages (their stylesheet and header), so it reads as part of the service. */
    private static String page(String title, String body) {
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>%s · Imagina Credits</title>
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <link rel="icon" href="/favicon.ico">
                <link rel="stylesheet" href="/css/app.css"></head>
                <body>
                <header class="site-header"><div class="bar"><a class="brand" href="/">Imagina <span>Credits</span></a></div></header>
                <main id="main" class="page narrow"><h1>%s</h1>
                %s</main></body></html>
                """.formatted(HtmlUtils.htmlEscape(title), HtmlUtils.htmlEscape(title), body);
    }

    private static ResponseEntity<String> html(HttpStatus status, String body) {
        return ResponseEntity.status(status).contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .body(body);
    }
}
