package com.imagina.credits.books;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.imagina.credits.system.ClockChanged;
import com.imagina.credits.system.ServiceClock;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The books per UTC day: opening outstanding credits, what moved ({@link BookMovements}), closing,
 * and a check that opening + movements = closing = the sum of all balances at the end of the day.
 *
 * <p>Cheap however long the history: a day that is over (by {@link #GRACE}, longer than any statement
 * may run) is computed once into {@code books_days} — its sums from the {@code created_at} index,
 * its closing from the previous day's, and the sum of all balances at its end measured from the
 * accounts in the same snapshot (current balances minus what was posted after the day) — and the
 * watermark moves past it. A request reads those rows plus a live range query over the days after
 * the watermark, so its cost follows the days asked for and the entries since the watermark, never
 * the whole history. Only days with entries have a row.
 *
 * <p>Only the adjustable (dev/test) clock can post entries into a day already computed: setting it
 * back drops the rows after the new "now" and moves the watermark back ({@link #clockChanged}).
 */
@Component
class Books {
    static final Duration GRACE = Duration.ofMinutes(10);
    static final int MAX_DAYS = 400;
    private static final Instant BEGINNING = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant END_OF_TIME = Instant.parse("9999-12-31T23:59:59Z");
    private static final TypeReference<Map<String, Long>> MOVEMENTS = new TypeReference<>() {};
    private static final TypeReference<List<Money>> MONEY = new TypeReference<>() {};

    private static final String DAY_SQL = """
            select (e.created_at at time zone 'UTC')::date as day, count(*) as entries,
                   coalesce(sum(e.amount_millicredits), 0) as net""" + BookMovements.selectList() + """

              from ledger_entries e
              left join checkout_sessions s
                     on e.type = 'purchase' and s.session_id = e.reference and e.entry_key = 'purchase:' || s.session_id
              left join turns t on e.type in ('turn', 'world_text', 'world_image') and t.turn_id = e.turn_id
             where e.created_at >= :from and e.created_at < :to
             group by 1 order by 1""";

    /** Stripe money per day and currency: purchases paid, and the cents behind refunds and disputes. */
    private static final String MONEY_SQL = """
            select day, currency, sum(purchased) as purchased, sum(refunded) as refunded, sum(disputed) as disputed,
                   sum(reversed) as reversed
              from (select (e.created_at at time zone 'UTC')::date as day,
                           lower(coalesce(d.currency, s.paid_currency, s.currency, 'usd')) as currency,
                           case when e.type = 'purchase' then coalesce(s.amount_total_cents, 0) else 0 end as purchased,
                           case when e.type = 'refund' then
                               coalesce(substring(e.entry_key from ':(\\d+)$')::bigint, 0) - coalesce((
                                   select max(substring(p.entry_key from ':(\\d+)$')::bigint) from ledger_entries p
                                    where p.type = 'refund' and p.reference = e.reference and p.entry_id < e.entry_id), 0)
                           else 0 end as refunded,
                           case when e.type = 'dispute' then coalesce(d.amount_cents, 0) else 0 end as disputed,
                           case when e.type = 'dispute_reversal' then coalesce(d.amount_cents, 0) else 0 end as reversed
                      from ledger_entries e
                      left join checkout_sessions s on s.session_id = e.reference
                      left join stripe_disputes d on e.type in ('dispute', 'dispute_reversal')
                             and d.dispute_id = substring(e.entry_key from position(':' in e.entry_key) + 1)
                     where e.created_at >= :from and e.created_at < :to
                       and e.type in ('purchase', 'refund', 'dispute', 'dispute_reversal')) x
             group by day, currency order by day, currency""";

    private final JdbcClient jdbc;
    private final ServiceClock clock;
    private final ObjectMapper json;
    private final TransactionTemplate snapshot;
    private final TransactionTemplate readOnlySnapshot;

    Books(JdbcClient jdbc, ServiceClock clock, ObjectMapper json, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.json = json;
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.readOnlySnapshot = new TransactionTemplate(transactions);
        this.readOnlySnapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.readOnlySnapshot.setReadOnly(true);
    }

    /** Stripe money of one day in one currency, in its minor unit. */
    record Money(String currency, long purchasedCents, long refundedCents, long disputedCents,
            long disputeReversedCents) {}

    /** A day's sums as computed from its entries. */
    record Sums(LocalDate day, long entries, long net, Map<String, Long> movements, List<Money> money) {}

    /** A stored day. */
    record StoredDay(LocalDate day, long net, long closing, Map<String, Long> movements, List<Money> money,
            long balancesAtEnd, long entries) {}

    /** One day of the books as the API shows it. */
    record BookDay(LocalDate day, long openingMillicredits, Map<String, Long> movements,
            long closingMillicredits, long balancesAtEndMillicredits, long entries, boolean closed,
            List<Money> money) {

        boolean balanced() {
            return openingMillicredits + BookMovements.signedSum(movements) == closingMillicredits
                    && closingMillicredits == balancesAtEndMillicredits;
        }
    }

    static Instant start(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    static LocalDate lastClosedDay(Instant now) {
        return ServiceClock.utcDay(now.minus(GRACE)).minusDays(1);
    }

    /** Computes every day that is over and not yet stored, in one snapshot. */
    void materialize() {
        LocalDate lastClosed = lastClosedDay(clock.now());
        if (watermark().filter(lastClosed::equals).isPresent()) return; // the usual case: nothing new is over
        snapshot.executeWithoutResult(status -> {
            jdbc.sql("select pg_advisory_xact_lock(hashtextextended('books_rollup', 0))").query((rs, n) -> 1).list();
            Optional<LocalDate> watermark = watermark();
            if (watermark.isPresent() && watermark.get().isAfter(lastClosed)) {
                dropAfter(lastClosed);
                return;
            }
            if (watermark.isPresent() && watermark.get().equals(lastClosed)) return;
            Instant from = watermark.map(w -> start(w.plusDays(1))).orElse(BEGINNING);
            Instant to = start(lastClosed.plusDays(1));
            List<Sums> days = sums(from, to);
            long tail = net(to, END_OF_TIME);
            long balances = sumOfBalances();
            long closing = closingBefore(from.isAfter(BEGINNING) ? ServiceClock.utcDay(from) : LocalDate.of(1970, 1, 1));
            long after = tail;
            long[] atEnd = new long[days.size()];
            for (int i = days.size() - 1; i >= 0; i--) {
                atEnd[i] = balances - after;
                after += days.get(i).net();
            }
            for (int i = 0; i < days.size(); i++) {
                Sums d = days.get(i);
                closing += d.net();
                jdbc.sql("""
                        insert into books_days (day, net_millicredits, closing_millicredits, movements, money,
                               balances_at_end_millicredits, entry_count, computed_at)
                        values (:day, :net, :closing, cast(:movements as jsonb), cast(:money as jsonb), :atEnd, :entries, :now)
                        on conflict (day) do nothing""")
                        .param("day", d.day()).param("net", d.net()).param("closing", closing)
                        .param("movements", write(d.movements())).param("money", write(d.money()))
                        .param("atEnd", atEnd[i]).param("entries", d.entries())
                        .param("now", Timestamp.from(Instant.now())).update();
            }
            setWatermark(lastClosed);
        });
    }

    /** The clock was set: rows of days that are not over at the new time go, and the watermark with them. */
    void clockChanged(Instant now) {
        LocalDate lastClosed = lastClosedDay(now);
        snapshot.executeWithoutResult(status -> {
            jdbc.sql("select pg_advisory_xact_lock(hashtextextended('books_rollup', 0))").query((rs, n) -> 1).list();
            if (watermark().filter(w -> w.isAfter(lastClosed)).isPresent()) dropAfter(lastClosed);
        });
    }

    private void dropAfter(LocalDate lastClosed) {
        jdbc.sql("delete from books_days where day > :d").param("d", lastClosed).update();
        setWatermark(lastClosed);
    }

    /** The books of {@code from} through {@code to} (no later than today), oldest first. */
    List<BookDay> days(LocalDate from, LocalDate to) {
        materialize();
        Instant now = clock.now();
        LocalDate today = ServiceClock.utcDay(now);
        LocalDate last = to.isAfter(today) ? today : to;
        List<BookDay> out = new ArrayList<>();
        if (last.isBefore(from)) return out;
        return readOnlySnapshot.execute(status -> {
            LocalDate watermark = watermark().orElse(LocalDate.of(1969, 12, 31));
            Map<LocalDate, StoredDay> stored = new TreeMap<>();
            jdbc.sql("select * from books_days where day >= :from and day <= :to order by day")
                    .param("from", from).param("to", last.isAfter(watermark) ? watermark : last)
                    .query(this::mapStored).list().forEach(d -> stored.put(d.day(), d));
            Optional<StoredDay> before = jdbc.sql("select * from books_days where day < :from order by day desc limit 1")
                    .param("from", from.isAfter(watermark.plusDays(1)) ? watermark.plusDays(1) : from)
                    .query(this::mapStored).optional();
            long opening = before.map(StoredDay::closing).orElse(0L);
            long balancesAtEnd = before.map(StoredDay::balancesAtEnd).orElse(0L);
            Map<LocalDate, Sums> live = new TreeMap<>();
            long liveAtEndBase = 0;
            if (last.isAfter(watermark)) {
                Instant liveFrom = start(watermark.plusDays(1));
                Instant fromStart = start(from);
                if (fromStart.isAfter(liveFrom)) {
                    opening += net(liveFrom, fromStart); // days after the watermark before the range
                    liveFrom = fromStart;
                }
                sums(liveFrom, start(last.plusDays(1))).forEach(s -> live.put(s.day(), s));
                liveAtEndBase = sumOfBalances() - net(start(last.plusDays(1)), END_OF_TIME);
            }
            long liveAfter = live.values().stream().mapToLong(Sums::net).sum();
            for (LocalDate day = from; !day.isAfter(last); day = day.plusDays(1)) {
                boolean closed = !day.isAfter(watermark);
                Map<String, Long> movements;
                List<Money> money;
                long net;
                long entries;
                if (closed) {
                    StoredDay s = stored.get(day);
                    movements = s == null ? BookMovements.zero() : s.movements();
                    money = s == null ? List.of() : s.money();
                    net = s == null ? 0 : s.net();
                    entries = s == null ? 0 : s.entries();
                    if (s != null) balancesAtEnd = s.balancesAtEnd();
                } else {
                    Sums s = live.get(day);
                    movements = s == null ? BookMovements.zero() : s.movements();
                    money = s == null ? List.of() : s.money();
                    net = s == null ? 0 : s.net();
                    entries = s == null ? 0 : s.entries();
                    liveAfter -= net;
                    balancesAtEnd = liveAtEndBase - liveAfter;
                }
                long closing = opening + net;
                out.add(new BookDay(day, opening, movements, closing, balancesAtEnd, entries, closed, money));
                opening = closing;
            }
            return out;
        });
    }

    private List<Sums> sums(Instant from, Instant to) {
        Map<LocalDate, List<Money>> money = new TreeMap<>();
        jdbc.sql(MONEY_SQL).param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .query((rs, n) -> {
                    money.computeIfAbsent(rs.getObject("day", LocalDate.class), d -> new ArrayList<>())
                            .add(new Money(rs.getString("currency"), rs.getLong("purchased"), rs.getLong("refunded"),
                                    rs.getLong("disputed"), rs.getLong("reversed")));
                    return 1;
                }).list();
        return jdbc.sql(DAY_SQL).param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .query((rs, n) -> {
                    Map<String, Long> movements = new LinkedHashMap<>();
                    for (int i = 0; i < BookMovements.ALL.size(); i++) {
                        movements.put(BookMovements.ALL.get(i).field(), rs.getLong("m" + i));
                    }
                    LocalDate day = rs.getObject("day", LocalDate.class);
                    return new Sums(day, rs.getLong("entries"), rs.getLong("net"), movements,
                            money.getOrDefault(day, List.of()));
                }).list();
    }

    private long net(Instant from, Instant to) {
        return jdbc.sql("""
                select coalesce(sum(amount_millicredits), 0) from ledger_entries
                 where created_at >= :from and created_at < :to""")
                .param("from", Timestamp.from(from)).param("to", Timestamp.from(to)).query(Long.class).single();
    }

    private long sumOfBalances() {
        return jdbc.sql("select coalesce(sum(balance_millicredits), 0) from accounts").query(Long.class).single();
    }

    private long closingBefore(LocalDate day) {
        return jdbc.sql("select closing_millicredits from books_days where day < :d order by day desc limit 1")
                .param("d", day).query(Long.class).optional().orElse(0L);
    }

    private Optional<LocalDate> watermark() {
        return jdbc.sql("select through_day from books_watermark where id = 1")
                .query((rs, n) -> rs.getObject(1, LocalDate.class)).optional();
    }

    private void setWatermark(LocalDate day) {
        jdbc.sql("""
                insert into books_watermark (id, through_day) values (1, :d)
                on conflict (id) do update set through_day = excluded.through_day""").param("d", day).update();
    }

    private StoredDay mapStored(ResultSet rs, int n) throws SQLException {
        return new StoredDay(rs.getObject("day", LocalDate.class), rs.getLong("net_millicredits"),
                rs.getLong("closing_millicredits"), withAllMovements(read(rs.getString("movements"), MOVEMENTS)),
                read(rs.getString("money"), MONEY), rs.getLong("balances_at_end_millicredits"),
                rs.getLong("entry_count"));
    }

    /** A day stored before a movement was added shows it as 0. */
    private static Map<String, Long> withAllMovements(Map<String, Long> stored) {
        Map<String, Long> all = BookMovements.zero();
        all.putAll(stored);
        return all;
    }

    @EventListener
    void onClockChanged(ClockChanged event) {
        clockChanged(event.now());
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
