package com.imagina.credits.proof;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.proof.FaultWorld.WorldInfo;
import com.imagina.credits.proof.ResilientApi.Reply;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One game server of the fault test: random authorizations, settles in random usage forms, voids,
 * adjustments, purchases, payouts, reads, limit changes and replays of calls already answered, each
 * sent until answered (same ids, same body) while the service is killed under it. Every answer is
 * checked against the contract, and every acknowledged money move goes into the expected book once.
 */
final class FaultClient implements Runnable {
    private static final String[] MODELS = {"claude-sonnet-4-5", "claude-sonnet-4-5", "claude-sonnet-4-5",
            "claude-haiku-4-5", "claude-opus-4-1", "claude-opus-4-1"};

    /** An authorization this client holds open: the turn and what its answer said. */
    private record OpenTurn(String turnId, String accountId, WorldInfo world, String purpose, String fundedBy,
            Instant expiresAt, String settleBody) {}

    /** A call already answered, for an idempotent replay: the same request must get the same answer. */
    private record Answered(String path, String token, String body, Reply reply) {}

    private final FaultWorld w;
    private final int index;
    private final int operations;
    private final Random random;
    private final List<OpenTurn> open = new ArrayList<>();
    private final List<Answered> answered = new ArrayList<>();
    private int seq;

    FaultClient(FaultWorld world, int index, int operations, long seed) {
        this.w = world;
        this.index = index;
        this.operations = operations;
        this.random = new Random(seed);
    }

    @Override
    public void run() {
        for (int i = 0; i < operations && !w.failing(); i++) {
            int pick = random.nextInt(1000);
            if (pick < 4) { // rare: each jump expires every open hold of every client
                w.clock.jump(random.nextInt(3) == 0, next -> expect("clock", w.api.post("/api/v1/admin/clock", w.admin(),
                        "{\"now\":\"" + next + "\"}"), 200));
                w.count("clock jump");
            } else {
                w.clock.enter();
                try {
                    operation(pick / 10);
                } finally {
                    w.clock.exit();
                }
            }
            w.completed.incrementAndGet();
        }
    }

    private void operation(int pick) {
        if (open.size() > 2 && pick < 38) pick += 38; // close turns rather than pile up holds
        if (pick < 38) authorize();
        else if (pick < 62) closeTurn(random.nextInt(6) == 0);
        else if (pick < 70) replay();
        else if (pick < 76) adjust();
        else if (pick < 80) grant();
        else if (pick < 86) read();
        else if (pick < 88) limits();
        else if (pick < 95 && !w.packs.isEmpty()) purchase();
        else if (pick < 97 && w.payouts) payout();
        else read();
    }

    private String id(String kind) {
        return "f" + index + "-" + kind + "-" + (seq++) + "-" + Long.toString(random.nextLong() & 0xffffff, 36);
    }

    private void authorize() {
        String account = w.players.get(random.nextInt(w.players.size()));
        WorldInfo world = w.worlds.get(random.nextInt(w.worlds.size()));
        String turnId = id("t");
        int p = random.nextInt(10);
        String purpose = p < 8 ? "play" : p == 8 ? "world_text" : "world_image";
        String model = purpose.equals("world_image") ? "gemini-2-5-flash-image" : MODELS[random.nextInt(MODELS.length)];
        StringBuilder body = new StringBuilder("{\"turnId\":\"" + turnId + "\",\"accountId\":\"" + account
                + "\",\"worldId\":\"" + world.worldId() + "\",\"modelId\":\"" + model + "\",\"purpose\":\"" + purpose + "\"");
        if (purpose.equals("play")) body.append(",\"journeyId\":\"j-").append(index).append('-').append(account).append('"');
        if (purpose.equals("world_image")) body.append(",\"expectedImages\":").append(1 + random.nextInt(2));
        if (random.nextInt(5) > 0) {
            body.append(",\"maxOutputTokens\":").append(random.nextInt(3_000))
                    .append(",\"expectedInputTokens\":").append(random.nextInt(20_000));
        }
        String json = body.append('}').toString();
        Reply r = w.api.post("/api/v1/turns", w.engine(), json);
        if (r.status() == 201) {
            JsonNode a = r.json();
            String fundedBy = a.path("fundedBy").asText();
            if (!a.path("status").asText().equals("authorized") || !a.path("turnId").asText().equals(turnId)
                    || (fundedBy.equals("free_turn") && FaultWorld.longAt(a, "holdMillicredits") != 0)
                    || !(fundedBy.equals("free_turn") || fundedBy.equals("credits"))) {
                w.problem("authorize " + json, r);
                return;
            }
            String settle = UsageForms.random(random, random.nextInt(20_000), random.nextInt(3_000));
            open.add(new OpenTurn(turnId, account, world, purpose, fundedBy,
                    Instant.parse(a.path("expiresAt").asText()), settle));
            remember("/api/v1/turns", w.engine(), json, r);
            w.acked.add(Acknowledged.Kind.AUTHORIZE, turnId);
            w.count("authorize 201 " + fundedBy);
        } else if (r.status() == 402 && (r.json().path("code").asText().equals("insufficient_credits")
                || r.json().path("code").asText().equals("spend_limit_reached"))) {
            w.count("authorize 402 " + r.json().path("code").asText());
        } else {
            w.problem("authorize " + json, r);
        }
    }

    private void closeTurn(boolean isVoid) {
        if (open.isEmpty()) {
            authorize();
            return;
        }
        OpenTurn t = open.remove(random.nextInt(open.size()));
        Instant now = w.clock.now();
        boolean surelyOpen = now.isBefore(t.expiresAt().minusSeconds(30));
        boolean surelyExpired = now.isAfter(t.expiresAt().plusSeconds(30));
        String path = "/api/v1/turns/" + t.turnId() + (isVoid ? "/void" : "/settle");
        String body = isVoid ? "{}" : t.settleBody();
        Reply r = w.api.post(path, w.engine(), body);
        if (r.status() == 409 && r.json().path("code").asText().equals("turn_not_open") && !surelyOpen) {
            w.count((isVoid ? "void" : "settle") + " 409 expired");
            return;
        }
        if (r.status() != 200 || surelyExpired) {
            w.problem(path + " " + body + " (expires " + t.expiresAt() + ", now ≈ " + now + ")", r);
            return;
        }
        JsonNode a = r.json();
        if (isVoid) {
            if (!a.path("status").asText().equals("voided")) w.problem(path, r);
            w.acked.add(Acknowledged.Kind.VOID, t.turnId());
            w.count("void 200");
        } else {
            long charged = FaultWorld.longAt(a, "chargedMillicredits");
            long cost = FaultWorld.longAt(a, "costMillicredits");
            long uncollected = FaultWorld.longAt(a, "uncollectedMillicredits");
            boolean free = t.fundedBy().equals("free_turn");
            // A paid turn collects at most its cost (less when the balance or today's cap runs out); what
            // it could not collect is uncollected. A free turn collects nothing and owes nothing.
            boolean collectedRight = free ? charged == 0 && uncollected == 0
                    : charged >= 0 && uncollected >= 0 && charged + uncollected == cost;
            if (!a.path("status").asText().equals("settled") || !a.path("fundedBy").asText().equals(t.fundedBy())
                    || !collectedRight || cost < 0) {
                w.problem(path + " " + body, r);
                return;
            }
            w.book.move("settle:" + t.turnId(), t.accountId(), -charged);
            w.acked.add(Acknowledged.Kind.SETTLE, t.turnId());
            if (!free && charged > 0 && t.purpose().equals("play") && t.world().published()
                    && !t.accountId().equals(t.world().ownerId())) {
                w.book.paidPlay("settle:" + t.turnId(), t.world().ownerId(), t.world().worldId(), w.clock.day(), charged);
            }
            w.count("settle 200 " + t.fundedBy());
        }
        remember(path, w.engine(), body, r);
    }

    private void adjust() {
        String account = w.players.get(random.nextInt(w.players.size()));
        String adjustmentId = id("adj");
        long amount = random.nextInt(8) == 0 ? -(1_000 + random.nextInt(200_000)) : 50_000 + random.nextInt(3_000_000);
        String json = "{\"adjustmentId\":\"" + adjustmentId + "\",\"accountId\":\"" + account
                + "\",\"amountMillicredits\":" + amount + ",\"reason\":\"fault test\"}";
        Reply r = w.api.post("/api/v1/admin/adjustments", w.admin(), json);
        if (r.status() != 201 || FaultWorld.longAt(r.json(), "amountMillicredits") != amount) {
            w.problem("adjustment " + json, r);
            return;
        }
        w.book.move("adjustment:" + adjustmentId, account, amount);
        w.acked.add(Acknowledged.Kind.ADJUSTMENT, adjustmentId);
        remember("/api/v1/admin/adjustments", w.admin(), json, r);
        w.count("adjustment 201");
    }

    /** A promotional grant, expiring within two hours of the fault clock or never; the book counts it. */
    private void grant() {
        String account = w.players.get(random.nextInt(w.players.size()));
        String grantId = id("g");
        long amount = 1_000 + random.nextInt(500_000);
        String expiresAt = random.nextInt(4) == 0 ? ""
                : ",\"expiresAt\":\"" + w.clock.now().plusSeconds(60 + random.nextInt(7_200)) + "\"";
        String json = "{\"grantId\":\"" + grantId + "\",\"accountId\":\"" + account + "\",\"amountMillicredits\":"
                + amount + ",\"kind\":\"" + (random.nextBoolean() ? "promotional" : "goodwill") + "\"" + expiresAt
                + ",\"reason\":\"fault test\"}";
        Reply r = w.api.post("/api/v1/admin/grants", w.admin(), json);
        if (r.status() == 400 && !expiresAt.isEmpty()) {
            w.count("grant 400 (expiry passed by a clock jump)"); // the clock moved between reading and sending
            return;
        }
        if (r.status() != 201 || FaultWorld.longAt(r.json(), "amountMillicredits") != amount) {
            w.problem("grant " + json, r);
            return;
        }
        w.book.move("grant:" + grantId, account, amount);
        w.book.granted(account, amount);
        remember("/api/v1/admin/grants", w.admin(), json, r);
        w.count("grant 201");
    }

    /** The same call again: the same answer, and nothing moves (the book counts each id once). */
    private void replay() {
        if (answered.isEmpty()) {
            adjust();
            return;
        }
        Answered a = answered.get(random.nextInt(answered.size()));
        Reply again = w.api.post(a.path(), a.token(), a.body());
        if (again.status() != a.reply().status() || !again.json().equals(a.reply().json())) {
            w.problem("replay of " + a.path() + " " + a.body() + " first answered " + a.reply(), again);
        }
        w.count("replay");
    }

    private void read() {
        String account = w.players.get(random.nextInt(w.players.size()));
        Reply r = w.api.get("/api/v1/accounts/" + account, w.player(account));
        JsonNode a = r.status() == 200 ? r.json() : null;
        if (a == null || FaultWorld.longAt(a, "availableMillicredits")
                != FaultWorld.longAt(a, "balanceMillicredits") - FaultWorld.longAt(a, "heldMillicredits")) {
            w.problem("read " + account, r);
        }
        w.count("read");
    }

    private void limits() {
        String account = w.players.get(random.nextInt(w.players.size()));
        String limit = random.nextBoolean() ? "null" : Integer.toString(500_000 + random.nextInt(5_000_000));
        Reply r = w.api.put("/api/v1/accounts/" + account + "/limits", w.player(account),
                "{\"dailySpendLimitMillicredits\":" + limit + "}");
        if (r.status() != 200) w.problem("limits " + account + " " + limit, r);
        w.count("limits");
    }

    private void purchase() {
        String account = w.players.get(random.nextInt(w.players.size()));
        FaultWorld.PackInfo pack = w.packs.get(random.nextInt(w.packs.size()));
        Reply session = w.api.post("/api/v1/checkout-sessions", w.player(account), "{\"packId\":\"" + pack.id() + "\"}");
        if (session.status() != 201 || session.json().path("id").asText().isEmpty()) {
            w.problem("checkout session " + pack.id(), session);
            return;
        }
        String sessionId = session.json().path("id").asText();
        String event = StripeEvent.sessionEvent(id("evt"), "checkout.session.completed", sessionId, account, pack);
        Reply r = StripeEvent.deliver(w.api, event, w.webhookSecret);
        String outcome = r.status() == 200 ? r.json().path("outcome").asText() : "";
        // A 200 that did not grant (failed, review, ignored...) is no purchase: the book would be wrong.
        if (r.status() != 200 || !(outcome.equals("granted") || outcome.equals("already_granted")
                || outcome.equals("duplicate"))) {
            w.problem("webhook " + event, r);
            return;
        }
        w.book.move("purchase:" + sessionId, account, pack.totalMillicredits());
        w.acked.add(Acknowledged.Kind.PURCHASE, sessionId);
        w.count("purchase 200");
        if (random.nextInt(3) == 0) { // Stripe delivers again, or a later event for the same session
            String again = random.nextBoolean() ? event : StripeEvent.sessionEvent(id("evt"),
                    "checkout.session.async_payment_succeeded", sessionId, account, pack);
            Reply second = StripeEvent.deliver(w.api, again, w.webhookSecret);
            if (second.status() != 200) w.problem("webhook again " + again, second);
            w.count("purchase event again");
        }
        if (random.nextInt(4) == 0) dispute(sessionId, account, pack);
    }

    /**
     * A chargeback of the purchase: {@code charge.dispute.created}, and for most a {@code charge.dispute.closed}
     * won or lost, sometimes closed first, sometimes one of them delivered twice. Once every event is
     * acknowledged, a dispute not won has taken back the disputed share of the grant (half-up), once; a won
     * one nothing in the end.
     */
    private void dispute(String sessionId, String account, FaultWorld.PackInfo pack) {
        String disputeId = "dp_" + id("d").replaceAll("[^A-Za-z0-9]", "");
        String paymentIntent = "pi_" + sessionId.replaceAll("[^A-Za-z0-9]", "");
        long amount = random.nextBoolean() ? pack.priceCents() : 1 + random.nextInt((int) pack.priceCents());
        String end = switch (random.nextInt(3)) {
            case 0 -> "won";
            case 1 -> "lost";
            default -> null; // still open at the end
        };
        java.util.List<String> events = new java.util.ArrayList<>();
        events.add(StripeEvent.disputeEvent(id("evt"), "charge.dispute.created", disputeId, paymentIntent, amount,
                pack.currency(), "needs_response"));
        if (end != null) {
            events.add(StripeEvent.disputeEvent(id("evt"), "charge.dispute.closed", disputeId, paymentIntent, amount,
                    pack.currency(), end));
            if (random.nextInt(3) == 0) java.util.Collections.reverse(events); // closed arrives before created
        }
        if (random.nextInt(3) == 0) events.add(events.get(random.nextInt(events.size()))); // Stripe delivers again
        for (String event : events) {
            Reply r = StripeEvent.deliver(w.api, event, w.webhookSecret);
            if (r.status() != 200) {
                w.problem("dispute webhook " + event, r);
                return;
            }
        }
        if (!"won".equals(end)) {
            w.book.move("dispute:" + disputeId, account, -disputedShare(pack.totalMillicredits(), amount, pack.priceCents()));
        }
        w.count("dispute " + (end == null ? "open" : end) + (events.size() > (end == null ? 1 : 2) ? " +again" : ""));
    }

    /** {@code granted × disputed / total}, half-up, the whole grant for the whole payment. */
    static long disputedShare(long grantedMillicredits, long disputedCents, long totalCents) {
        if (disputedCents >= totalCents) return grantedMillicredits;
        java.math.BigInteger n = java.math.BigInteger.valueOf(grantedMillicredits).multiply(java.math.BigInteger.valueOf(disputedCents));
        java.math.BigInteger d = java.math.BigInteger.valueOf(totalCents);
        return n.shiftLeft(1).add(d).divide(d.shiftLeft(1)).longValueExact();
    }

    private void payout() {
        String through = w.clock.day().minusDays(1).toString();
        Reply r = w.api.post("/api/v1/admin/payouts", w.admin(), "{\"through\":\"" + through + "\"}");
        if (r.status() != 200 || !r.json().path("payouts").isArray()) w.problem("payouts through " + through, r);
        w.count("payout");
    }

    private void remember(String path, String token, String body, Reply reply) {
        if (answered.size() >= 64) answered.remove(random.nextInt(answered.size()));
        answered.add(new Answered(path, token, body, reply));
    }

    private void expect(String what, Reply r, int status) {
        if (r.status() != status) w.problem(what, r);
    }
}
