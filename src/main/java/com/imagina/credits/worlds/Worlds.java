package com.imagina.credits.worlds;

import com.imagina.credits.system.db.Rows;
import com.imagina.credits.system.ApiException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Worlds and the history of their publication. Turns copy the owner and the published flag when they
 * are authorized, so revenue share follows the world as it was when the turn was played.
 */
@Component
public class Worlds {
    /** The columns {@link #mapIfPresent} reads, for queries of other features that join a world in. */
    public static final String COLUMNS = "world_id, owner_id, title, published, created_at, updated_at";

    private static final RowMapper<World> MAPPER = (rs, n) -> new World(
            rs.getString("world_id"), rs.getString("owner_id"), rs.getString("title"), rs.getBoolean("published"),
            Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"));

    private final JdbcClient jdbc;

    Worlds(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<World> find(String worldId) {
        return jdbc.sql("select * from worlds where world_id = :id").param("id", worldId).query(MAPPER).optional();
    }

    /** The world of a row that joined it in with {@link #COLUMNS}; empty when the join found none. */
    public static Optional<World> mapIfPresent(ResultSet rs) throws SQLException {
        return rs.getString("owner_id") == null ? Optional.empty() : Optional.of(MAPPER.mapRow(rs, 0));
    }

    public World require(String worldId) {
        return find(worldId).orElseThrow(() -> ApiException.notFound("unknown_world", "No world '" + worldId + "'."));
    }

    List<World> ownedBy(String ownerId) {
        return jdbc.sql("select * from worlds where owner_id = :owner order by created_at, world_id")
                .param("owner", ownerId).query(MAPPER).list();
    }

    @Transactional
    World put(String worldId, String ownerId, String title, boolean published, Instant now) {
        Optional<World> before = jdbc.sql("select * from worlds where world_id = :id for update")
                .param("id", worldId).query(MAPPER).optional();
        jdbc.sql("""
                insert into worlds (world_id, owner_id, title, published, created_at, updated_at)
                values (:id, :owner, :title, :published, :now, :now)
                on conflict (world_id) do update set owner_id = excluded.owner_id, title = excluded.title,
                    published = excluded.published, updated_at = excluded.updated_at""")
                .param("id", worldId).param("owner", ownerId).param("title", title)
                .param("published", published).param("now", Timestamp.from(now)).update();
        if (before.isEmpty() || before.get().published() != published) {
            jdbc.sql("insert into world_publication_changes (world_id, published, changed_at) values (:id, :p, :now)")
                    .param("id", worldId).param("p", published).param("now", Timestamp.from(now)).update();
        }
        return require(worldId);
    }
}
