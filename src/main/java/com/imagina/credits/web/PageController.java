package com.imagina.credits.web;

import java.nio.charset.StandardCharsets;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * Maps the dashboard's page paths (fixed by the contract) to their pages ({@link DashboardPage}). The
 * pages fetch their data themselves with the player's token, so the server hands out the same HTML to
 * everyone.
 */
@Controller
class PageController {

    @GetMapping("/")
    ResponseEntity<byte[]> dashboard() {
        return page(DashboardPage.DASHBOARD);
    }

    @GetMapping("/history")
    ResponseEntity<byte[]> history() {
        return page(DashboardPage.HISTORY);
    }

    @GetMapping("/buy")
    ResponseEntity<byte[]> buy() {
        return page(DashboardPage.BUY);
    }

    @GetMapping("/buy/success")
    ResponseEntity<byte[]> buySuccess() {
        return page(DashboardPage.BUY_SUCCESS);
    }

    @GetMapping("/buy/cancel")
    ResponseEntity<byte[]> buyCancel() {
        return page(DashboardPage.BUY_CANCEL);
    }

    @GetMapping("/models")
    ResponseEntity<byte[]> models() {
        return page(DashboardPage.MODELS);
    }

    /** The journey id is read by the page from its own path; any id gets the page, the API decides access. */
    @GetMapping("/journeys/{journeyId}")
    ResponseEntity<byte[]> journey(@PathVariable String journeyId) {
        return page(DashboardPage.JOURNEY);
    }

    @GetMapping("/worlds")
    ResponseEntity<byte[]> worlds() {
        return page(DashboardPage.WORLDS);
    }

    static ResponseEntity<byte[]> page(DashboardPage page) {
        return ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                // Revalidate each time: pages and scripts change together on deploy.
                .cacheControl(CacheControl.noCache())
                .headers(PageHeaders::apply)
                .body(page.html());
    }
}
