package com.imagina.credits.turns;

import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.security.Caller;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/admin/overruns?accountId=&from=&to=&limit=}: settled turns whose real cost could not
 * be collected in full (the settle collects at most the hold plus what was available, within the cap),
 * newest first, with the total over the same filter. What is listed here was never charged to anyone.
 */
@RestController
class OverrunsController {
    private static final int MAX_LIMIT = 500;

    private final JdbcClient jdbc;

    OverrunsController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Overrun(String turnId, String accountId, String worldId, String modelId, long costMillicredits,
            long chargedMillicredits, long uncollectedMillicredits, Instant settledAt) {}

    record Overruns(long totalMillicredits, long turns, List<Overrun> items) {}

    @GetMapping("/api/v1/admin/overruns")
    Overruns overruns(@RequestParam(required = false) String accountId,
            @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
            @RequestParam(defaultValue = "100") int limit) {
        Caller.current().requireAdmin();
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("limit must be between 1 and " + MAX_LIMIT + ".");
        }
        Timestamp since = Timestamp.from(from == null ? Instant.EPOCH : from);
        Timestamp until = Timestamp.from(to == null ? Instant.parse("9999-12-31T00:00:00Z") : to);
        List<Overrun> items = jdbc.sql("""
                select turn_id, account_id, world_id, model_id, cost_millicredits, charged_millicredits,
                       uncollected_millicredits, closed_at
                  from turns
                 where uncollected_millicredits > 0 and closed_at >= :from and closed_at < :to
                   and (cast(:account as text) is null or account_id = :account)
                 order by closed_at desc, turn_id limit :limit""")
                .param("from", since).param("to", until).param("account", accountId).param("limit", limit)
                .query((rs, n) -> new Overrun(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getTimestamp(8).toInstant()))
                .list();
        return jdbc.sql("""
                select coalesce(sum(uncollected_millicredits), 0), count(*)
                  from turns
                 where uncollected_millicredits > 0 and closed_at >= :from and closed_at < :to
                   and (cast(:account as text) is null or account_id = :account)""")
                .param("from", since).param("to", until).param("account", accountId)
                .query((rs, n) -> new Overruns(rs.getLong(1), rs.getLong(2), items)).single();
    }
}
