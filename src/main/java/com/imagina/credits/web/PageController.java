package com.imagina.credits.web;

import java.nio.charset.StandardCharsets;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * Maps the dashboard's page paths (fixed by the contract) to static HTML files. The pages fetch their
 * data themselves with the player's token, so the server hands out the same file to everyone.
 */
@Controller
class PageController {

    @GetMapping("/")
    ResponseEntity<Resource> dashboard() {
        return page("index.html");
    }

    @GetMapping("/history")
    ResponseEntity<Resource> history() {
        return page("history.html");
    }

    @GetMapping("/buy")
    ResponseEntity<Resource> buy() {
        return page("buy.html");
    }

    @GetMapping("/buy/success")
    ResponseEntity<Resource> buySuccess() {
        return page("buy-success.html");
    }

    @GetMapping("/buy/cancel")
    ResponseEntity<Resource> buyCancel() {
        return page("buy-cancel.html");
    }

    @GetMapping("/models")
    ResponseEntity<Resource> models() {
        return page("models.html");
    }

    /** The journey id is read by the page from its own path; any id gets the page, the API decides access. */
    @GetMapping("/journeys/{journeyId}")
    ResponseEntity<Resource> journey(@PathVariable String journeyId) {
        return page("journey.html");
    }

    @GetMapping("/worlds")
    ResponseEntity<Resource> worlds() {
        return page("worlds.html");
    }

    static ResponseEntity<Resource> page(String file) {
        return ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                // Revalidate each time: pages and scripts change together on deploy.
                .cacheControl(CacheControl.noCache())
                .headers(PageHeaders::apply)
                .body(new ClassPathResource("static/" + file));
    }
}
