package com.imagina.credits.estimates;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Estimates measured against what turns really cost. Every settled play turn stores the estimate the
 * picker showed for it when it was authorized ({@code turns.estimate_*}: the first-turn or follow-up figure
 * by cache warmth, and the low–high band); this computes, in SQL, over the most recent
 * {@code credits.estimates.accuracy-window} (500) such turns of each scope — all, a model, a model in a
 * world — how close they were ({@link Accuracy}), and per UTC day how that drifted.
 */
@Component
class EstimateAccuracy {
    private static final String ESTIMATED = """
            t.status = 'settled' and t.purpose = 'play' and t.estimate_millicredits is not null""";
    private static final String ROW = """
            t.model_id, t.world_id, t.closed_at, t.cost_millicredits as cost, t.estimate_millicredits as estimate,
            t.estimate_low_millicredits as low, t.estimate_high_millicredits as high""";

    private final JdbcClient jdbc;
    private final int window;

    EstimateAccuracy(JdbcClient jdbc, @Value("${credits.estimates.accuracy-window:500}") int window) {
        this.jdbc = jdbc;
        this.window = window;
    }

    int window() {
        return window;
    }

    /** Per model (all worlds), over each model's last {@code window} estimated turns; models without any are absent. */
    Map<String, Accuracy> byModel(int window) {
        Map<String, Accuracy> out = new HashMap<>();
        jdbc.sql("""
                select m.model_id, a.* from models m
                cross join lateral (
                    select %s
                      from (select %s from turns t where t.model_id = m.model_id and %s
                             order by t.settle_seq desc limit :window) r) a
                 where a.turns > 0""".formatted(Accuracy.AGGREGATES, ROW, ESTIMATED))
                .param("window", window)
                .query(rs -> {
                    out.put(rs.getString("model_id"), accuracy(rs));
                });
        return out;
    }

    /** Over the last {@code window} estimated turns of all models and worlds. */
    Accuracy overall(int window) {
        return jdbc.sql("""
                select %s from (select %s from turns t where %s order by t.settle_seq desc limit :window) r"""
                .formatted(Accuracy.AGGREGATES, ROW, ESTIMATED))
                .param("window", window)
                .query((rs, n) -> accuracy(rs)).single();
    }

    record GroupAccuracy(String modelId, String worldId, Accuracy accuracy, List<DayAccuracy> days) {}

    record DayAccuracy(LocalDate day, Accuracy accuracy) {}

    record ModelAccuracy(String modelId, Accuracy accuracy) {}

    /** The operator's view: overall, per model, per model and world (each over its window), and per day. */
    record Report(int window, LocalDate from, LocalDate to, Accuracy overall, List<DayAccuracy> days,
            List<ModelAccuracy> models, List<GroupAccuracy> groups) {}

    Report report(int window, LocalDate from, LocalDate to) {
        Map<String, List<DayAccuracy>> groupDays = new HashMap<>();
        List<DayAccuracy> overallDays = new ArrayList<>();
        jdbc.sql("""
                select (r.closed_at at time zone 'UTC')::date as day, r.model_id, r.world_id,
                       grouping(r.model_id, r.world_id) as level, %s
                  from (select %s from turns t where %s and t.closed_at >= :from and t.closed_at < :to) r
                 group by grouping sets (((r.closed_at at time zone 'UTC')::date, r.model_id, r.world_id),
                                         ((r.closed_at at time zone 'UTC')::date))
                 order by day""".formatted(Accuracy.AGGREGATES, ROW, ESTIMATED))
                .param("from", Timestamp.from(from.atStartOfDay(ZoneOffset.UTC).toInstant()))
                .param("to", Timestamp.from(to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()))
                .query(rs -> {
                    DayAccuracy d = new DayAccuracy(rs.getObject("day", LocalDate.class), accuracy(rs));
                    if (rs.getInt("level") == 0) {
                        groupDays.computeIfAbsent(rs.getString("model_id") + "\u0000" + rs.getString("world_id"),
                                k -> new ArrayList<>()).add(d);
                    } else {
                        overallDays.add(d);
                    }
                });
        List<GroupAccuracy> groups = new ArrayList<>();
        jdbc.sql("""
                select r.model_id, r.world_id, %s
                  from (select %s, row_number() over (partition by t.model_id, t.world_id order by t.settle_seq desc) as n
                          from turns t where %s) r
                 where r.n <= :window
                 group by r.model_id, r.world_id
                 order by r.model_id, r.world_id""".formatted(Accuracy.AGGREGATES, ROW, ESTIMATED))
                .param("window", window)
                .query(rs -> {
                    String key = rs.getString("model_id") + "\u0000" + rs.getString("world_id");
                    groups.add(new GroupAccuracy(rs.getString("model_id"), rs.getString("world_id"), accuracy(rs),
                            groupDays.getOrDefault(key, List.of())));
                });
        Map<String, Accuracy> models = new LinkedHashMap<>();
        byModel(window).entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> models.put(e.getKey(), e.getValue()));
        return new Report(window, from, to, overall(window), overallDays,
                models.entrySet().stream().map(e -> new ModelAccuracy(e.getKey(), e.getValue())).toList(), groups);
    }

    private static Accuracy accuracy(ResultSet rs) throws SQLException {
        return Accuracy.of(rs.getInt("turns"), rs.getBigDecimal("median_ape"), rs.getLong("within"));
    }

    static Instant startOf(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
