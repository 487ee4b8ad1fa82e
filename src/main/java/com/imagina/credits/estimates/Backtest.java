package com.imagina.credits.estimates;

import com.imagina.credits.estimates.EstimateProfiles.Key;
import com.imagina.credits.estimates.EstimateProfiles.Snapshot;
import com.imagina.credits.pricing.Prices;
import com.imagina.credits.system.JsonText;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Replays the stored turns through the calibration as it would have run day by day: for each UTC day, the
 * profiles are computed from the turns settled before that day began ({@link Calibration#profilesAsOf}, the
 * same SQL as the calibration, with the given windows), each of that day's settled play turns is estimated
 * from them as the picker would have ({@link CostEstimates}, at the prices the turn was charged at; first
 * turn or follow-up as the calibration classifies it), and compared with its real cost. Nothing is written:
 * a change to the calibration's settings can be judged before it ships. The daily snapshot is an
 * approximation of the live calibration, which runs every few minutes.
 */
@Component
class Backtest {
    private final JdbcClient jdbc;
    private final Calibration calibration;
    private final CostEstimates estimates;
    private final JsonText json;
    private final Settings defaults;

    Backtest(JdbcClient jdbc, Calibration calibration, CostEstimates estimates, JsonText json,
            @Value("${credits.estimates.world-window:500}") int worldWindow,
            @Value("${credits.estimates.model-window:2000}") int modelWindow) {
        this.jdbc = jdbc;
        this.calibration = calibration;
        this.estimates = estimates;
        this.json = json;
        this.defaults = new Settings(worldWindow, modelWindow, estimates.minSamples());
    }

    record Settings(int worldWindow, int modelWindow, int minSamples) {}

    record DayResult(LocalDate day, Accuracy accuracy) {}

    record ModelResult(String modelId, Accuracy accuracy) {}

    record Result(LocalDate from, LocalDate to, Settings settings, Accuracy overall, List<DayResult> days,
            List<ModelResult> models) {}

    /** One turn's real cost against what it would have been shown. */
    record Measured(long cost, long estimate, long low, long high) {}

    private record Played(String modelId, String worldId, String phase, long cost, Prices prices) {}

    Settings defaults() {
        return defaults;
    }

    Result run(LocalDate from, LocalDate to, Settings settings) {
        List<Measured> all = new ArrayList<>();
        Map<String, List<Measured>> byModel = new TreeMap<>();
        List<DayResult> days = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            List<Measured> measured = new ArrayList<>();
            Instant start = EstimateAccuracy.startOf(day);
            Map<String, Snapshot> snapshots = new HashMap<>();
            for (Played t : played(start, EstimateAccuracy.startOf(day.plusDays(1)))) {
                Snapshot s = snapshots.computeIfAbsent(t.modelId() + "\u0000" + t.worldId(),
                        k -> snapshot(t.modelId(), t.worldId(), start, settings));
                Estimate e = estimates.estimate(t.modelId(), t.prices(), s, settings.minSamples());
                Measured m = new Measured(t.cost(), t.phase().equals("follow") ? e.followUpMillicredits()
                        : e.firstTurnMillicredits(), e.lowMillicredits(), e.highMillicredits());
                measured.add(m);
                byModel.computeIfAbsent(t.modelId(), k -> new ArrayList<>()).add(m);
            }
            all.addAll(measured);
            days.add(new DayResult(day, measure(measured)));
        }
        return new Result(from, to, settings, measure(all), days, byModel.entrySet().stream()
                .map(e -> new ModelResult(e.getKey(), measure(e.getValue()))).toList());
    }

    /** The same figures as {@link EstimateAccuracy}'s SQL, computed here over measured turns. */
    static Accuracy measure(List<Measured> turns) {
        List<BigDecimal> errors = turns.stream().filter(m -> m.cost() != 0)
                .map(m -> BigDecimal.valueOf(Math.abs(m.cost() - m.estimate())).multiply(BigDecimal.valueOf(100))
                        .divide(BigDecimal.valueOf(m.cost()), 20, RoundingMode.HALF_UP))
                .sorted(Comparator.naturalOrder()).toList();
        // percentile_disc(0.5): the first value whose position reaches half the count.
        BigDecimal median = errors.isEmpty() ? null : errors.get((errors.size() + 1) / 2 - 1);
        long within = turns.stream().filter(m -> m.cost() >= m.low() && m.cost() <= m.high()).count();
        return Accuracy.of(turns.size(), median, within);
    }

    private List<Played> played(Instant from, Instant to) {
        return jdbc.sql("""
                select t.model_id, t.world_id, t.cost_millicredits, coalesce(t.price_snapshot, v.prices)::text as prices,
                       case when p.model_id = t.model_id
                             and t.created_at <= p.closed_at + make_interval(secs => m.cache_ttl_seconds)
                            then 'follow' else 'first' end as phase
                  from turns t
                  join models m on m.model_id = t.model_id
                  left join model_price_versions v on v.model_id = t.model_id and v.price_version = t.price_version
                  left join lateral (
                      select p.model_id, p.closed_at from turns p
                       where p.journey_id = t.journey_id and p.created_at < t.created_at and p.status = 'settled'
                       order by p.created_at desc limit 1) p on true
                 where t.status = 'settled' and t.purpose = 'play' and t.closed_at >= :from and t.closed_at < :to
                 order by t.settle_seq""")
                .param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .query((rs, n) -> new Played(rs.getString("model_id"), rs.getString("world_id"), rs.getString("phase"),
                        rs.getLong("cost_millicredits"), json.read(rs.getString("prices"), Prices.class)))
                .list();
    }

    /** The profiles and context sizes the picker would have read for the model in the world at {@code asOf}. */
    private Snapshot snapshot(String modelId, String worldId, Instant asOf, Settings settings) {
        Map<Key, ProfileStats> profiles = new HashMap<>();
        calibration.profilesAsOf(modelId, worldId, settings.worldWindow(), asOf)
                .forEach((phase, p) -> profiles.put(new Key(modelId, worldId, phase), p));
        calibration.profilesAsOf(modelId, EstimateProfiles.ALL_WORLDS, settings.modelWindow(), asOf)
                .forEach((phase, p) -> profiles.put(new Key(modelId, EstimateProfiles.ALL_WORLDS, phase), p));
        Map<String, Long> context = new HashMap<>();
        calibration.contextAsOf(worldId, settings.worldWindow(), asOf).ifPresent(c -> context.put(worldId, c));
        calibration.contextAsOf(EstimateProfiles.ALL_WORLDS, settings.modelWindow(), asOf)
                .ifPresent(c -> context.put(EstimateProfiles.ALL_WORLDS, c));
        return new Snapshot(worldId, profiles, context);
    }
}
