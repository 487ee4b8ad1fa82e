package com.imagina.credits.ledger;

import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.db.ReplicaReads;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The transaction history, newest first. The cursor is the last entry id seen, wrapped so clients
 * treat it as opaque; entries of one account get increasing ids in commit order (the balance row lock
 * orders them), so paging by id never skips or repeats a row.
 */
@Component
public class History {
    public static final int MAX_LIMIT = 200;

    private final JdbcClient jdbc;
    private final JdbcTemplate streaming;
    private final TransactionTemplate readOnly;

    /** Reads a standby when one is configured: the history may lag, it decides nothing (README "Operations"). */
    @Autowired
    History(ReplicaReads replica) {
        this(replica.jdbc(), replica.dataSource(), replica.transactions());
    }

    History(JdbcClient jdbc, DataSource dataSource, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.streaming = new JdbcTemplate(dataSource);
        this.streaming.setFetchSize(500);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    public record Page(List<LedgerEntry> items, String nextCursor) {}

    /**
     * The cursor is an index bound in every plan: "entry_id < coalesce(:before, max)" rather than "(:before is
     * null or entry_id < :before)", which a connection's cached generic plan turned into a filter that read every
     * newer entry of the account for a deep page (bench/scale, issue #25).
     */
    public Page page(String accountId, EntryType type, String cursor, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("limit must be between 1 and " + MAX_LIMIT + ".");
        }
        Long before = cursor == null || cursor.isEmpty() ? null : decode(cursor);
        List<LedgerEntry> rows = jdbc.sql("select " + Ledger.ENTRY_COLUMNS + """
                 from ledger_entries
                 where account_id = :account
                   and entry_id < coalesce(cast(:before as bigint), 9223372036854775807)
                   and (cast(:type as text) is null or type = cast(:type as text))
                 order by entry_id desc limit :limit""")
                .param("account", accountId).param("before", before)
                .param("type", type == null ? null : type.wireName()).param("limit", limit + 1)
                .query(Ledger.ENTRY_MAPPER).list();
        if (rows.size() > limit) {
            List<LedgerEntry> items = rows.subList(0, limit);
            return new Page(List.copyOf(items), encode(items.get(limit - 1).id()));
        }
        return new Page(rows, null);
    }

    /** Every entry of the account, newest first, fetched in batches: a long history never sits in memory. */
    public void stream(String accountId, EntryType type, Consumer<LedgerEntry> sink) {
        readOnly.executeWithoutResult(status -> streaming.query("select " + Ledger.ENTRY_COLUMNS + """
                 from ledger_entries
                 where account_id = ? and (cast(? as text) is null or type = cast(? as text))
                 order by entry_id desc""",
                rs -> {
                    sink.accept(Ledger.mapEntry(rs, 0));
                },
                accountId, type == null ? null : type.wireName(), type == null ? null : type.wireName()));
    }

    static String encode(long entryId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("e1:" + entryId).getBytes(StandardCharsets.UTF_8));
    }

    static long decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!text.startsWith("e1:")) throw new IllegalArgumentException();
            return Long.parseLong(text.substring(3));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("The cursor is not one this service gave out.");
        }
    }
}
