package com.imagina.credits.proof;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.system.security.TokenMinter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the fault test's clients share: the service, the clock, the expected book, tokens, the accounts
 * and worlds they play on, which optional features the service has, and the problems found so far
 * (clients record them and stop; the test fails on them at the end with the whole list).
 */
final class FaultWorld {
    /** A world the test created: who owns it and whether it is published (both fixed for the run). */
    record WorldInfo(String worldId, String ownerId, boolean published) {}

    /** A credit pack as {@code GET /api/v1/packs} lists it. */
    record PackInfo(String id, long priceCents, String currency, long totalMillicredits) {}

    final ServiceProcess service;
    final ResilientApi api;
    final FaultClock clock;
    final ExpectedBook book = new ExpectedBook();
    final List<String> players;
    final List<WorldInfo> worlds;
    final String webhookSecret;
    volatile List<PackInfo> packs = List.of();
    volatile boolean payouts;
    final AtomicLong completed = new AtomicLong();
    final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    /** Every acknowledged write by id, for the failover test to look up in the database it failed over to. */
    final Acknowledged acked = new Acknowledged();
    /** Set by the failover test to end the clients' loops early. */
    volatile boolean stopped;
    /**
     * The asynchronous-standby run: answers that only a lost acknowledged write explains (a settle of a
     * turn the new primary never heard of) are counted here instead of stopping the clients.
     */
    volatile boolean tolerant;
    final ConcurrentLinkedQueue<String> consequences = new ConcurrentLinkedQueue<>();
    private final byte[] secret;
    private final String admin;
    private final String engine;
    private final Map<String, String> playerTokens = new ConcurrentHashMap<>();

    FaultWorld(ServiceProcess service, FaultClock clock, String secret, String webhookSecret, List<String> players,
            List<WorldInfo> worlds) {
        this.service = service;
        this.api = new ResilientApi(service);
        this.clock = clock;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.webhookSecret = webhookSecret;
        this.players = List.copyOf(players);
        this.worlds = List.copyOf(worlds);
        // Long runs last hours: tokens are checked against the real time, not the service clock.
        this.admin = mint("fault-admin", "admin");
        this.engine = mint("fault-engine", "engine");
    }

    private String mint(String account, String role) {
        return TokenMinter.mint(secret, account, List.of(role), Instant.now().plusSeconds(12 * 3600));
    }

    String admin() {
        return admin;
    }

    String engine() {
        return engine;
    }

    String player(String accountId) {
        return playerTokens.computeIfAbsent(accountId, a -> mint(a, "player"));
    }

    void count(String outcome) {
        outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
    }

    /** Records an answer the contract does not allow; the client that saw it stops. */
    void problem(String what, ResilientApi.Reply reply) {
        (tolerant ? consequences : problems).add(what + " → " + reply);
    }

    boolean failing() {
        return stopped || !problems.isEmpty();
    }

    static long longAt(JsonNode json, String field) {
        JsonNode n = json.get(field);
        if (n == null || !n.canConvertToLong()) throw new AssertionError("No number '" + field + "' in " + json);
        return n.asLong();
    }
}
