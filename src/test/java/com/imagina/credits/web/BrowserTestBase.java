package com.imagina.credits.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * The running service plus one headless Chromium per test class. Per-class lifecycle so the
 * browser can be started once the server's port is known.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrowserTestBase extends ApiTest {
    protected Browser browser;

    @BeforeAll
    void startBrowser() {
        browser = Browser.start("http://127.0.0.1:" + port);
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) browser.close();
    }

    /** Each test starts signed out, at desktop width. */
    @BeforeEach
    void freshTab() {
        browser.width(1280);
        browser.open("/css/app.css"); // any page of ours, to reach its storage
        browser.script("sessionStorage.clear(); localStorage.clear();");
    }

    @AfterEach
    void noScriptErrors() {
        assertThat(browser.scriptErrors()).as("script errors in the browser console").isEmpty();
    }

    /** What the dashboard shows for an amount: 1234500 → "1,234.500". */
    static String credits(long millicredits) {
        String sign = millicredits < 0 ? "-" : "";
        long abs = Math.abs(millicredits);
        return sign + String.format(Locale.ROOT, "%,d.%03d", abs / 1000, abs % 1000);
    }

    static String signedCredits(long millicredits) {
        return (millicredits > 0 ? "+" : "") + credits(millicredits);
    }

    /** A play turn authorized and settled by the engine, as the game does it. */
    JsonNode playTurn(String accountId, String journeyId, String worldId, String modelId) {
        String turnId = id("t");
        Api.Response auth = api.post("/api/v1/turns", api.engine(), Map.of("turnId", turnId, "accountId", accountId,
                "journeyId", journeyId, "worldId", worldId, "modelId", modelId, "maxOutputTokens", 500,
                "expectedInputTokens", 8000));
        assertThat(auth.status()).as(auth.toString()).isEqualTo(201);
        Api.Response settled = api.post("/api/v1/turns/" + turnId + "/settle", api.engine(),
                Map.of("usage", Map.of("inputTokens", 8000, "outputTokens", 400)));
        assertThat(settled.status()).as(settled.toString()).isEqualTo(200);
        return settled.json();
    }

    JsonNode getJson(String path, String token) {
        Api.Response r = api.get(path, token);
        assertThat(r.status()).as(path + " → " + r).isEqualTo(200);
        return r.json();
    }
}
