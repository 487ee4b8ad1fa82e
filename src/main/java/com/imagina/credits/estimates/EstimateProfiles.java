package com.imagina.credits.estimates;

import com.imagina.credits.pricing.TokenProfile;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads the calibrated profiles: one query for every model in a world and in all worlds. */
@Component
class EstimateProfiles {
    static final String ALL_WORLDS = "";

    private final JdbcClient jdbc;

    EstimateProfiles(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Key(String modelId, String worldId, String phase) {}

    /** The profiles of {@code worldId} and of all worlds, and both worlds' context sizes. */
    Snapshot load(String worldId) {
        String world = worldId == null ? ALL_WORLDS : worldId;
        Map<Key, ProfileStats> profiles = new HashMap<>();
        jdbc.sql("select * from estimate_profiles where world_id in (:world, '')")
                .param("world", world)
                .query(rs -> {
                    profiles.put(new Key(rs.getString("model_id"), rs.getString("world_id"), rs.getString("phase")),
                            map(rs));
                });
        Map<String, Long> context = new HashMap<>();
        jdbc.sql("select world_id, p50_prompt_tokens from world_context_sizes where world_id in (:world, '')")
                .param("world", world)
                .query(rs -> {
                    context.put(rs.getString(1), rs.getLong(2));
                });
        return new Snapshot(world, profiles, context);
    }

    record Snapshot(String worldId, Map<Key, ProfileStats> profiles, Map<String, Long> contextSizes) {
        Optional<ProfileStats> get(String modelId, String world, String phase) {
            return Optional.ofNullable(profiles.get(new Key(modelId, world, phase)));
        }

        Optional<Long> worldContext() {
            return Optional.ofNullable(contextSizes.get(worldId));
        }

        Optional<Long> allWorldsContext() {
            return Optional.ofNullable(contextSizes.get(ALL_WORLDS));
        }
    }

    static ProfileStats map(ResultSet rs) throws SQLException {
        return new ProfileStats(rs.getInt("samples"), profile(rs, "p50"), profile(rs, "p10"), profile(rs, "p90"));
    }

    private static TokenProfile profile(ResultSet rs, String q) throws SQLException {
        return new TokenProfile(rs.getLong(q + "_input"), rs.getLong(q + "_cache_read"),
                rs.getLong(q + "_cache_write"), rs.getLong(q + "_cache_write_1h"), rs.getLong(q + "_output"),
                rs.getLong(q + "_images"));
    }
}
