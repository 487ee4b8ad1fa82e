package com.imagina.credits.web;

import java.nio.charset.StandardCharsets;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** Maps the support console's paths (the contract's {@code /admin}, {@code /admin/accounts/{id}}, ...) to {@link AdminPage}. */
@Controller
class AdminPageController {

    @GetMapping({"/admin", "/admin/"})
    ResponseEntity<byte[]> search() {
        return page(AdminPage.SEARCH);
    }

    /** The page reads the account id from its own path; the admin API decides access. */
    @GetMapping("/admin/accounts/{accountId}")
    ResponseEntity<byte[]> account(@PathVariable String accountId) {
        return page(AdminPage.ACCOUNT);
    }

    @GetMapping("/admin/audit")
    ResponseEntity<byte[]> audit() {
        return page(AdminPage.AUDIT);
    }

    @GetMapping("/admin/books")
    ResponseEntity<byte[]> books() {
        return page(AdminPage.BOOKS);
    }

    @GetMapping("/admin/payouts")
    ResponseEntity<byte[]> payouts() {
        return page(AdminPage.PAYOUTS);
    }

    @GetMapping("/admin/estimates")
    ResponseEntity<byte[]> estimates() {
        return page(AdminPage.ESTIMATES);
    }

    @GetMapping("/admin/reconciliation")
    ResponseEntity<byte[]> reconciliation() {
        return page(AdminPage.RECONCILIATION);
    }

    @GetMapping("/admin/models")
    ResponseEntity<byte[]> models() {
        return page(AdminPage.MODELS);
    }

    @GetMapping("/admin/stripe-events")
    ResponseEntity<byte[]> stripeEvents() {
        return page(AdminPage.STRIPE_EVENTS);
    }

    private static ResponseEntity<byte[]> page(AdminPage page) {
        return ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noCache())
                .headers(PageHeaders::apply)
                .body(page.html());
    }
}
