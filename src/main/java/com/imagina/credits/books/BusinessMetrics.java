package com.imagina.credits.books;

import com.imagina.credits.system.ServiceClock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Business metrics for Prometheus, read from the database so every instance reports the same exact
 * figures (README "Business metrics"). One query computes them all, at most once per
 * {@code credits.metrics.refresh} (default 5 s) whatever the number of meters or scrapes: the all-time
 * totals are the closed days of the books ({@code books_days}, one row per day) plus the entries after
 * the books' watermark (a range of {@code ledger_entries_created_idx}, an index-only scan of at most a
 * day or two); open holds come from the partial index of authorized turns. When the database cannot
 * answer, the meters keep their last values (and the failure is logged).
 */
@Component
class BusinessMetrics implements MeterBinder {
    private static final Logger log = LoggerFactory.getLogger(BusinessMetrics.class);

    /** Each total: its key in {@code books_days.movements} (summed) and its filter on live entries. */
    private static final Map<String, String> TOTALS = Map.ofEntries(
            Map.entry("purchased", "(m->>'purchasedMillicredits')::bigint + (m->>'bonusMillicredits')::bigint|"
                    + "sum(amount_millicredits) filter (where type = 'purchase')"),
            Map.entry("granted", "(m->>'grantedMillicredits')::bigint|sum(amount_millicredits) filter (where type = 'grant')"),
            Map.entry("consumed_play", "(m->>'consumedPlayMillicredits')::bigint|-sum(amount_millicredits) filter (where type = 'turn')"),
            Map.entry("consumed_world_text", "(m->>'consumedWorldTextMillicredits')::bigint|"
                    + "-sum(amount_millicredits) filter (where type = 'world_text')"),
            Map.entry("consumed_world_image", "(m->>'consumedWorldImageMillicredits')::bigint|"
                    + "-sum(amount_millicredits) filter (where type = 'world_image')"),
            Map.entry("paid_out", "(m->>'revenueShareMillicredits')::bigint|sum(amount_millicredits) filter (where type = 'revenue_share')"),
            Map.entry("refunded", "(m->>'refundedMillicredits')::bigint|-sum(amount_millicredits) filter (where type = 'refund')"),
            Map.entry("disputed", "(m->>'disputedMillicredits')::bigint|-sum(amount_millicredits) filter (where type = 'dispute')"),
            Map.entry("dispute_reversed", "(m->>'disputeReversedMillicredits')::bigint|"
                    + "sum(amount_millicredits) filter (where type = 'dispute_reversal')"),
            Map.entry("expired", "(m->>'expiredMillicredits')::bigint|-sum(amount_millicredits) filter (where type = 'expiry')"),
            Map.entry("free_turn_cost", "(m->>'freeTurnCostMillicredits')::bigint|"
                    + "sum(full_cost_millicredits) filter (where type = 'free_turn')"),
            Map.entry("uncollected", "(m->>'uncollectedMillicredits')::bigint|sum(full_cost_millicredits + amount_millicredits) "
                    + "filter (where type in ('turn', 'world_text', 'world_image'))"));

    private static final String SQL = buildSql();

    private final JdbcClient jdbc;
    private final ServiceClock clock;
    private final Books books;
    private final Duration refresh;
    private volatile Map<String, Long> last = Map.of();
    private volatile long lastAtNanos;
    private volatile boolean loaded;

    BusinessMetrics(JdbcClient jdbc, ServiceClock clock, Books books,
            @Value("${credits.metrics.refresh:5s}") Duration refresh) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.books = books;
        this.refresh = refresh;
    }

    private static String buildSql() {
        StringBuilder closed = new StringBuilder();
        StringBuilder live = new StringBuilder();
        StringBuilder select = new StringBuilder();
        for (Map.Entry<String, String> e : TOTALS.entrySet()) {
            String[] parts = e.getValue().split("\\|");
            closed.append(", coalesce(sum(").append(parts[0]).append("), 0) as ").append(e.getKey());
            live.append(", coalesce(").append(parts[1]).append(", 0) as ").append(e.getKey());
            select.append(", c.").append(e.getKey()).append(" + l.").append(e.getKey()).append(" as ").append(e.getKey());
        }
        return """
                with mark as (
                    select coalesce((select through_day from books_watermark where id = 1), date '1969-12-31') as through_day),
                closed as (
                    select coalesce((select closing_millicredits from books_days, mark where day <= mark.through_day
                                      order by day desc limit 1), 0) as closing""" + closed + "\n" + """
                      from (select movements as m from books_days, mark where day <= mark.through_day) d),
                live as (
                    select coalesce(sum(amount_millicredits), 0) as net,
                           count(*) filter (where type = 'free_turn' and created_at >= :today) as free_turns_today""" + live + "\n" + """
                      from ledger_entries, mark
                     where created_at >= (mark.through_day + 1)::timestamp at time zone 'UTC'),
                holds as (
                    select count(*) as holds_open, coalesce(sum(hold_millicredits), 0) as held
                      from turns where status = 'authorized')
                select c.closing + l.net as outstanding, l.free_turns_today, h.holds_open, h.held""" + select + "\n" + """
                  from closed c, live l, holds h""";
    }

    /** The figures, at most {@code refresh} old. */
    long value(String name) {
        if (!loaded || System.nanoTime() - lastAtNanos > refresh.toNanos()) {
            synchronized (this) {
                if (!loaded || System.nanoTime() - lastAtNanos > refresh.toNanos()) load();
            }
        }
        return last.getOrDefault(name, 0L);
    }

    private void load() {
        try {
            books.materialize(); // days that closed since the last look, so the live part stays short
            Instant now = clock.now();
            last = jdbc.sql(SQL).param("today", Timestamp.from(ServiceClock.utcDay(now).atStartOfDay(java.time.ZoneOffset.UTC)
                            .toInstant()))
                    .query((rs, n) -> {
                        Map<String, Long> values = new java.util.HashMap<>();
                        int columns = rs.getMetaData().getColumnCount();
                        for (int i = 1; i <= columns; i++) values.put(rs.getMetaData().getColumnLabel(i), rs.getLong(i));
                        return Map.copyOf(values);
                    })
                    .single();
            loaded = true;
        } catch (RuntimeException e) {
            log.warn("Business metrics could not be read from the database; keeping the last values: {}", e.toString());
        } finally {
            lastAtNanos = System.nanoTime();
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "credits.purchased", "Credits granted by purchases (pack and bonus)", "purchased", null);
        counter(registry, "credits.granted", "Promotional and goodwill grants", "granted", null);
        for (String purpose : new String[] {"play", "world_text", "world_image"}) {
            counter(registry, "credits.consumed", "Paid credits charged for turns, by purpose", "consumed_" + purpose, purpose);
        }
        counter(registry, "credits.paid.out", "Revenue share paid to world owners", "paid_out", null);
        counter(registry, "credits.refunded", "Credits taken back by refunds", "refunded", null);
        counter(registry, "credits.disputed", "Credits taken back by disputes (chargebacks)", "disputed", null);
        counter(registry, "credits.dispute.reversed", "Credits given back by disputes won", "dispute_reversed", null);
        counter(registry, "credits.expired", "Promotional credits that expired unspent", "expired", null);
        counter(registry, "credits.free.turns.cost", "What free turns would have cost", "free_turn_cost", null);
        counter(registry, "credits.uncollected", "Turn costs that could not be charged (overruns)", "uncollected", null);
        gauge(registry, "credits.outstanding", "Credits outstanding (the sum of all balances)", "outstanding", "millicredits");
        gauge(registry, "credits.holds.open", "Open holds (authorized turns)", "holds_open", null);
        gauge(registry, "credits.holds.held", "Credits held by open holds", "held", "millicredits");
        gauge(registry, "credits.free.turns.used.today", "Free turns used today (UTC)", "free_turns_today", null);
    }

    private void counter(MeterRegistry registry, String name, String help, String key, String purpose) {
        ToDoubleFunction<BusinessMetrics> read = m -> m.value(key);
        FunctionCounter.Builder<BusinessMetrics> b = FunctionCounter.builder(name, this, read).description(help)
                .baseUnit("millicredits");
        if (purpose != null) b.tag("purpose", purpose);
        b.register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String help, String key, String unit) {
        Gauge.Builder<BusinessMetrics> b = Gauge.builder(name, this, m -> m.value(key)).description(help);
        if (unit != null) b.baseUnit(unit);
        b.register(registry);
    }
}
