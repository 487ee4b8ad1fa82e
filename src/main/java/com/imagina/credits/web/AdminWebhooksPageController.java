package com.imagina.credits.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * {@code /admin/webhooks}: the webhook delivery log in the support console, the same data-free shell as the
 * other console pages ({@link AdminPage}) with its module {@code static/js/pages/admin-webhooks.js}. Kept apart
 * from {@link AdminPage} so the console's pages and this one change independently.
 */
@Controller
class AdminWebhooksPageController {
    private static final byte[] HTML = shell("Webhook deliveries", "admin-webhooks");

    @GetMapping({"/admin/webhooks", "/admin/webhooks/"})
    ResponseEntity<byte[]> webhooks() {
        return ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noCache())
                .headers(PageHeaders::apply)
                .body(HTML.clone());
    }

    private static byte[] shell(String title, String script) {
        try (InputStream in = AdminWebhooksPageController.class.getClassLoader().getResourceAsStream("web/admin-page.html")) {
            if (in == null) {
                throw new IllegalStateException("missing page template web/admin-page.html");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("{{title}}", title)
                    .replace("{{script}}", script)
                    .getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
