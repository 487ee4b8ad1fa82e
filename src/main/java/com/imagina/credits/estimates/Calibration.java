package com.imagina.credits.estimates;

import com.imagina.credits.system.ServiceClock;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Learns token profiles from settled play turns, incrementally: only the (model, world) groups that
 * got new turns since the last run are recomputed, each over its most recent turns, with SQL doing
 * the statistics (medians and p10/p90 via {@code percentile_disc}). A turn is a follow-up when the
 * journey's previous settled turn was on the same model and settled within that model's cache TTL
 * before it started; otherwise it is a first turn. One run at a time across all instances: a
 * transaction-scoped PostgreSQL advisory lock.
 */
@Component
class Calibration {
    private static final Logger log = LoggerFactory.getLogger(Calibration.class);
    private static final long LOCK_KEY = 0x43414C4942L; // "CALIB"
    /** Settlements may commit slightly out of sequence order; re-reading a margin never misses one. */
    private static final long SEQUENCE_MARGIN = 1_000;
    private static final String[] COLUMNS = {"input", "cache_read", "cache_write", "cache_write_1h", "output", "images"};
    private static final String[] SOURCES = {"input_tokens", "cache_read_tokens", "cache_write_tokens",
            "cache_write_1h_tokens", "output_tokens", "images"};

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final ServiceClock clock;
    private final int worldWindow;
    private final int modelWindow;

    Calibration(JdbcClient jdbc, TransactionTemplate tx, ServiceClock clock,
            @Value("${credits.estimates.world-window:500}") int worldWindow,
            @Value("${credits.estimates.model-window:2000}") int modelWindow) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.worldWindow = worldWindow;
        this.modelWindow = modelWindow;
    }

    record Result(boolean ran, int groups, int models, int worlds) {}

    @Scheduled(fixedDelayString = "${credits.estimates.calibration-interval:5m}", initialDelayString = "30s")
    void scheduled() {
        run(false);
    }

    /** {@code wait}: queue behind a run in progress (on demand) rather than skip it (schedule). */
    Result run(boolean wait) {
        Result result = tx.execute(status -> {
            boolean locked = wait
                    ? jdbc.sql("select pg_advisory_xact_lock(:k) is not null").param("k", LOCK_KEY).query(Boolean.class).single()
                    : jdbc.sql("select pg_try_advisory_xact_lock(:k)").param("k", LOCK_KEY).query(Boolean.class).single();
            return locked ? calibrate() : new Result(false, 0, 0, 0);
        });
        if (result != null && result.groups() > 0) {
            log.info("Calibrated {} model/world groups, {} models, {} worlds", result.groups(), result.models(),
                    result.worlds());
        }
        return result;
    }

    private Result calibrate() {
        long watermark = jdbc.sql("select watermark_seq from calibration_state where id = 1")
                .query(Long.class).optional().orElse(0L);
        long until = jdbc.sql("select coalesce(max(settle_seq), 0) from turns where settle_seq is not null")
                .query(Long.class).single();
        record Group(String modelId, String worldId) {}
        List<Group> groups = jdbc.sql("""
                select distinct model_id, world_id from turns
                 where settle_seq > :from and settle_seq <= :until and status = 'settled' and purpose = 'play'""")
                .param("from", Math.max(0, watermark - SEQUENCE_MARGIN)).param("until", until)
                .query((rs, n) -> new Group(rs.getString(1), rs.getString(2))).list();
        Timestamp now = Timestamp.from(clock.now());
        for (Group g : groups) {
            upsertProfiles(g.modelId(), g.worldId(),
                    "t.model_id = :model and t.world_id = :world", worldWindow, now);
        }
        List<String> models = groups.stream().map(Group::modelId).distinct().toList();
        for (String model : models) {
            upsertProfiles(model, EstimateProfiles.ALL_WORLDS, "t.model_id = :model", modelWindow, now);
        }
        List<String> worlds = groups.stream().map(Group::worldId).distinct().toList();
        for (String world : worlds) {
            upsertContext(world, "world_id = :world", worldWindow, now);
        }
        if (!worlds.isEmpty()) {
            upsertContext(EstimateProfiles.ALL_WORLDS, "true", modelWindow, now);
        }
        jdbc.sql("""
                insert into calibration_state (id, watermark_seq, last_run_at) values (1, :until, :now)
                on conflict (id) do update set watermark_seq = excluded.watermark_seq, last_run_at = excluded.last_run_at""")
                .param("until", until).param("now", now).update();
        return new Result(true, groups.size(), models.size(), worlds.size());
    }

    /** {@code p50_input, p10_input, ...}: percentile_disc of each token column over {@code recent}. */
    private static String percentiles() {
        return Stream.of("p50:0.5", "p10:0.1", "p90:0.9").flatMap(q -> {
            String[] parts = q.split(":");
            return java.util.stream.IntStream.range(0, COLUMNS.length).mapToObj(i ->
                    "percentile_disc(" + parts[1] + ") within group (order by " + SOURCES[i] + ") as "
                            + parts[0] + "_" + COLUMNS[i]);
        }).collect(Collectors.joining(",\n       "));
    }

    /**
     * The group's most recent {@code :window} settled play turns matching {@code filter}, each marked
     * {@code first} or {@code follow} (the previous settled turn of its journey on the same model, within
     * the model's cache TTL before it started).
     */
    private static String recent(String filter) {
        return """
                recent as (
                    select t.*, case when p.model_id = t.model_id
                                      and t.created_at <= p.closed_at + make_interval(secs => m.cache_ttl_seconds)
                                     then 'follow' else 'first' end as phase
                      from (select * from turns t
                             where %s and t.status = 'settled' and t.purpose = 'play'
                             order by t.closed_at desc limit :window) t
                      join models m on m.model_id = t.model_id
                      left join lateral (
                          select p.model_id, p.closed_at from turns p
                           where p.journey_id = t.journey_id and p.created_at < t.created_at and p.status = 'settled'
                           order by p.created_at desc limit 1) p on true
                )""".formatted(filter);
    }

    private void upsertProfiles(String modelId, String worldId, String filter, int window, Timestamp now) {
        String targets = Stream.of("p50", "p10", "p90").flatMap(q -> Stream.of(COLUMNS).map(c -> q + "_" + c))
                .collect(Collectors.joining(", "));
        String updates = Stream.of("p50", "p10", "p90").flatMap(q -> Stream.of(COLUMNS).map(c -> q + "_" + c))
                .map(c -> c + " = excluded." + c).collect(Collectors.joining(", "));
        jdbc.sql("""
                with %s
                insert into estimate_profiles (model_id, world_id, phase, samples, %s, updated_at)
                select :model, :worldKey, coalesce(phase, 'all'), count(*),
                       %s,
                       :now
                  from recent group by grouping sets ((phase), ())
                on conflict (model_id, world_id, phase) do update set samples = excluded.samples, %s,
                       updated_at = excluded.updated_at
                """.formatted(recent(filter), targets, percentiles(), updates))
                .param("model", modelId).param("world", worldId).param("worldKey", worldId)
                .param("window", window).param("now", now)
                .update();
    }

    /**
     * What {@link #upsertProfiles} would have stored for the model in {@code worldId} ({@link
     * EstimateProfiles#ALL_WORLDS}: all worlds) had it run at {@code asOf}, over the turns settled before
     * then: the backtest's calibration.
     */
    Map<String, ProfileStats> profilesAsOf(String modelId, String worldId, int window, Instant asOf) {
        String filter = (EstimateProfiles.ALL_WORLDS.equals(worldId) ? "t.model_id = :model"
                : "t.model_id = :model and t.world_id = :world") + " and t.closed_at < :asOf";
        Map<String, ProfileStats> out = new HashMap<>();
        jdbc.sql("""
                with %s
                select coalesce(phase, 'all') as phase, count(*) as samples,
                       %s
                  from recent group by grouping sets ((phase), ())
                """.formatted(recent(filter), percentiles()))
                .param("model", modelId).param("world", worldId).param("window", window)
                .param("asOf", Timestamp.from(asOf))
                .query(rs -> {
                    if (rs.getInt("samples") > 0) {
                        out.put(rs.getString("phase"), EstimateProfiles.map(rs));
                    }
                });
        return out;
    }

    /** The median prompt of {@code worldId} (or all worlds) over the turns settled before {@code asOf}. */
    java.util.Optional<Long> contextAsOf(String worldId, int window, Instant asOf) {
        String filter = EstimateProfiles.ALL_WORLDS.equals(worldId) ? "true" : "world_id = :world";
        return jdbc.sql("""
                select count(*) as samples, coalesce(percentile_disc(0.5) within group (order by prompt), 0) as p50
                  from (select input_tokens + cache_read_tokens + cache_write_tokens + cache_write_1h_tokens as prompt
                          from turns where %s and status = 'settled' and purpose = 'play' and closed_at < :asOf
                         order by closed_at desc limit :window) recent
                """.formatted(filter))
                .param("world", worldId).param("window", window).param("asOf", Timestamp.from(asOf))
                .query((rs, n) -> new long[] {rs.getLong("samples"), rs.getLong("p50")})
                .optional().filter(r -> r[0] > 0).map(r -> r[1]);
    }

    private void upsertContext(String worldId, String filter, int window, Timestamp now) {
        jdbc.sql("""
                insert into world_context_sizes (world_id, samples, p50_prompt_tokens, updated_at)
                select :worldKey, count(*), coalesce(percentile_disc(0.5) within group (order by prompt), 0), :now
                  from (select input_tokens + cache_read_tokens + cache_write_tokens + cache_write_1h_tokens as prompt
                          from turns where %s and status = 'settled' and purpose = 'play'
                         order by closed_at desc limit :window) recent
                on conflict (world_id) do update set samples = excluded.samples,
                       p50_prompt_tokens = excluded.p50_prompt_tokens, updated_at = excluded.updated_at
                """.formatted(filter))
                .param("world", worldId).param("worldKey", worldId).param("window", window).param("now", now)
                .update();
    }
}
