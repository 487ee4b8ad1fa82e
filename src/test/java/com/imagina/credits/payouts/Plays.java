package com.imagina.credits.payouts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.Api;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Drives turns through the real API and keeps its own record of them, so a test can compute what the
 * payout must pay without asking the service: the test's independent model of the revenue-share rule.
 */
final class Plays {
    static final String PAID_MODEL = "claude-opus-4-1"; // credits-only: never a free turn
    static final String FREE_ELIGIBLE_MODEL = "claude-sonnet-4-5";
    static final long PERCENT = 20; // the contract's default credits.revenue-share.percent

    /** One settled turn as the test saw it: who, where, whose world, published or not, what was charged. */
    record Play(String turnId, String accountId, String ownerId, String worldId, LocalDate day, String purpose,
            String fundedBy, long charged, boolean publishedAtPlay) {
        boolean earnsShare() {
            return purpose.equals("play") && fundedBy.equals("credits") && charged > 0 && publishedAtPlay
                    && !accountId.equals(ownerId);
        }
    }

    record GroupKey(String ownerId, String worldId, LocalDate day) {}

    record DayFigures(LocalDate day, long paidPlays, long players, long spend, long share) {}

    private final Api api;
    private final Map<String, String> ownerOf = new HashMap<>();
    private final Map<String, Boolean> publishedNow = new HashMap<>();
    final List<Play> plays = new ArrayList<>();

    Plays(Api api) {
        this.api = api;
    }

    static String newId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    String world(String ownerId, boolean published) {
        String worldId = newId("w");
        put(worldId, ownerId, published);
        return worldId;
    }

    void publish(String worldId, boolean published) {
        put(worldId, ownerOf.get(worldId), published);
    }

    /** Hands the world to another owner: plays from now on earn the new owner. */
    void transfer(String worldId, String newOwnerId) {
        put(worldId, newOwnerId, publishedNow.get(worldId));
    }

    private void put(String worldId, String ownerId, boolean published) {
        var r = api.put("/api/v1/worlds/" + worldId, api.engine(),
                Map.of("ownerId", ownerId, "title", "Title of " + worldId, "published", published));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        ownerOf.put(worldId, ownerId);
        publishedNow.put(worldId, published);
    }

    Play play(String account, String world, String model, long input, long cacheRead, long output) {
        return turn(account, world, model, "play", input, cacheRead, output);
    }

    Play authoring(String account, String world, long input, long output) {
        return turn(account, world, PAID_MODEL, "world_text", input, 0, output);
    }

    /** Authorizes and settles one turn; the charge and settle time are read from the service's answers. */
    Play turn(String account, String world, String model, String purpose, long input, long cacheRead, long output) {
        boolean published = publishedNow.get(world);
        String turnId = authorize(account, world, model, purpose, input + cacheRead, output);
        return settle(turnId, account, world, purpose, published, input, cacheRead, output);
    }

    /** Settles an authorized turn; {@code publishedAtPlay} is the world's state when it was authorized. */
    Play settle(String turnId, String account, String world, String purpose, boolean publishedAtPlay, long input,
            long cacheRead, long output) {
        var settled = api.post("/api/v1/turns/" + turnId + "/settle", api.engine(), Map.of("usage",
                Map.of("inputTokens", input, "cacheReadTokens", cacheRead, "outputTokens", output)));
        assertThat(settled.status()).as(settled.toString()).isEqualTo(200);
        JsonNode s = settled.json();
        Instant closedAt = Instant.parse(api.get("/api/v1/turns/" + turnId, api.engine()).json()
                .get("closedAt").asText());
        Play p = new Play(turnId, account, ownerOf.get(world), world, LocalDate.ofInstant(closedAt, ZoneOffset.UTC),
                purpose, s.get("fundedBy").asText(), s.get("chargedMillicredits").asLong(), publishedAtPlay);
        plays.add(p);
        return p;
    }

    boolean publishedNow(String world) {
        return publishedNow.get(world);
    }

    String authorize(String account, String world, String model, String purpose, long expectedInput,
            long maxOutput) {
        String turnId = newId("t");
        var r = api.post("/api/v1/turns", api.engine(), Map.of("turnId", turnId, "accountId", account,
                "journeyId", "j-" + account + "-" + world, "worldId", world, "modelId", model, "purpose", purpose,
                "maxOutputTokens", maxOutput, "expectedInputTokens", expectedInput));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return turnId;
    }

    /** The payout the rule demands for each group: half-up once on the group's sum, in integers. */
    Map<GroupKey, Long> expectedPayouts() {
        Map<GroupKey, Long> sums = new LinkedHashMap<>();
        plays.stream().filter(Play::earnsShare).forEach(p ->
                sums.merge(new GroupKey(p.ownerId(), p.worldId(), p.day()), p.charged(), Long::sum));
        Map<GroupKey, Long> shares = new LinkedHashMap<>();
        sums.forEach((k, sum) -> shares.put(k, share(sum)));
        return shares;
    }

    static long share(long sum) {
        return (sum * PERCENT + 50) / 100;
    }

    Map<GroupKey, List<String>> expectedTurnsByGroup() {
        return plays.stream().filter(Play::earnsShare).collect(Collectors.groupingBy(
                p -> new GroupKey(p.ownerId(), p.worldId(), p.day()),
                Collectors.mapping(Play::turnId, Collectors.toList())));
    }

    /** The earnings page's days for a world, newest first, as the rule computes them. */
    List<DayFigures> expectedDays(String worldId) {
        Map<LocalDate, List<Play>> byDay = new TreeMap<>(Comparator.reverseOrder());
        plays.stream().filter(p -> p.worldId().equals(worldId) && p.earnsShare())
                .forEach(p -> byDay.computeIfAbsent(p.day(), d -> new ArrayList<>()).add(p));
        Map<GroupKey, Long> payouts = expectedPayouts();
        List<DayFigures> days = new ArrayList<>();
        byDay.forEach((day, ps) -> days.add(new DayFigures(day, ps.size(),
                ps.stream().map(Play::accountId).distinct().count(),
                ps.stream().mapToLong(Play::charged).sum(),
                payouts.entrySet().stream().filter(e -> e.getKey().worldId().equals(worldId)
                        && e.getKey().day().equals(day)).mapToLong(Map.Entry::getValue).sum())));
        return days;
    }

    long expectedShareOf(String worldId) {
        return expectedPayouts().entrySet().stream().filter(e -> e.getKey().worldId().equals(worldId))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** What building the world cost its owner: the owner's authoring charges in it. */
    long expectedAuthoring(String worldId) {
        return plays.stream().filter(p -> p.worldId().equals(worldId) && !p.purpose().equals("play")
                && p.accountId().equals(p.ownerId())).mapToLong(Play::charged).sum();
    }

    long chargedTo(String account) {
        return plays.stream().filter(p -> p.accountId().equals(account)).mapToLong(Play::charged).sum();
    }

    long sharesTo(String owner, Set<String> worlds) {
        return expectedPayouts().entrySet().stream()
                .filter(e -> e.getKey().ownerId().equals(owner) && worlds.contains(e.getKey().worldId()))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** The lines of a payout response that concern the given worlds, as group → amount. */
    static Map<GroupKey, Long> linesFor(JsonNode response, Set<String> worlds) {
        Map<GroupKey, Long> lines = new LinkedHashMap<>();
        for (JsonNode line : response.get("payouts")) {
            if (!worlds.contains(line.get("worldId").asText())) continue;
            GroupKey key = new GroupKey(line.get("ownerId").asText(), line.get("worldId").asText(),
                    LocalDate.parse(line.get("day").asText()));
            Long before = lines.put(key, line.get("amountMillicredits").asLong());
            assertThat(before).as("group %s listed twice in one response", key).isNull();
        }
        return lines;
    }
}
