package com.imagina.credits.events;

/**
 * The outbox as SQL fragments, for statements that publish an event in the same statement as the
 * money move it reports (the turn path has no transaction around its one statement). Every fragment
 * is a list of CTEs to put after the move's own CTEs; PostgreSQL runs data-modifying CTEs whether or
 * not the main query reads them, and on no input they do nothing.
 *
 * <p>Lock order, everywhere: the account row (by the move), then {@code balance_alerts}, then
 * {@code event_sequences}. The sequence row's lock makes each account's numbers gapless and in commit
 * order across instances.
 */
public final class OutboxSql {
    private OutboxSql() {}

    /** A new event id: {@code evt_} and 32 hex digits. */
    static final String NEW_EVENT_ID = "'evt_' || replace(cast(gen_random_uuid() as text), '-', '')";

    /**
     * CTEs {@code {p}_seq}, {@code {p}_event}, {@code {p}_delivery}: for the (at most one) row of CTE
     * {@code source} — columns {@code account_id, type, data (jsonb), created_at, dedupe_key} — the next
     * sequence number of the account, the event, and one pending delivery per live endpoint that
     * subscribed to its type. {@code {p}_event} returns {@code event_id, account_id, sequence, type}.
     */
    static String publishCtes(String p, String source) {
        return """
                %1$s_seq as (
                    insert into event_sequences as q (account_id, last_sequence)
                    select account_id, 1 from %2$s
                    on conflict (account_id) do update set last_sequence = q.last_sequence + 1
                    returning q.account_id, q.last_sequence),
                %1$s_event as (
                    insert into events (event_id, account_id, sequence, type, data, created_at, dedupe_key)
                    select %3$s, s.account_id, q.last_sequence, s.type, s.data, s.created_at, s.dedupe_key
                      from %2$s s join %1$s_seq q on q.account_id = s.account_id
                    returning event_id, account_id, sequence, type),
                %1$s_delivery as (
                    insert into webhook_deliveries (endpoint_id, event_id, account_id, sequence, state,
                           next_attempt_at, created_at)
                    select w.endpoint_id, e.event_id, e.account_id, e.sequence, 'pending', clock_timestamp(),
                           clock_timestamp()
                      from %1$s_event e join webhook_endpoints w on w.deleted_at is null and e.type = any (w.event_types)
                    returning delivery_id)""".formatted(p, source, NEW_EVENT_ID);
    }

    /**
     * {@code balance.low} in the statement that moved the money, as CTEs to append to it (they begin with
     * a comma). {@code moved} is the CTE of the account update, returning {@code balance_millicredits} and
     * {@code held_millicredits} after the move; {@code account} the SQL of its account id; {@code delta}
     * the SQL of how much the move changed the available balance; {@code createdAt} the SQL of its time.
     *
     * <p>It fires when the available balance went from at or above the threshold (the account's own, else
     * the default) to below it, and the alert was armed; firing disarms it, in the same upsert, so two
     * statements that both see it armed cannot both fire (the upsert re-checks the stored row). In the
     * common case — available still above, or no threshold — the first CTE finds no row (one primary-key
     * read of {@code balance_alerts}) and the rest do nothing: no round trip is added.
     */
    public static String lowBalanceCtes(String moved, String account, String delta, String createdAt) {
        return """
                , low_alert as (
                    insert into balance_alerts as b (account_id, low_armed, low_fired_at)
                    select %2$s, false, %4$s
                      from %1$s m
                      cross join alert_settings d
                      left join balance_alerts cur on cur.account_id = %2$s
                     where coalesce(cur.low_armed, true)
                       and m.balance_millicredits - m.held_millicredits
                           < coalesce(cur.low_balance_millicredits, d.low_balance_millicredits)
                       and m.balance_millicredits - m.held_millicredits - (%3$s)
                           >= coalesce(cur.low_balance_millicredits, d.low_balance_millicredits)
                    on conflict (account_id) do update set low_armed = false, low_fired_at = excluded.low_fired_at
                     where b.low_armed
                    returning b.account_id, b.low_balance_millicredits),
                low_source as (
                    select a.account_id, 'balance.low' as type,
                           jsonb_build_object('availableMillicredits', m.balance_millicredits - m.held_millicredits,
                               'balanceMillicredits', m.balance_millicredits,
                               'heldMillicredits', m.held_millicredits,
                               'thresholdMillicredits', coalesce(a.low_balance_millicredits, d.low_balance_millicredits))
                               as data,
                           cast(%4$s as timestamptz) as created_at, cast(null as text) as dedupe_key
                      from low_alert a cross join %1$s m cross join alert_settings d),
                """.formatted(moved, account, delta, createdAt) + publishCtes("low", "low_source");
    }

    /**
     * Re-arms {@code balance.low} when a credit (the move raised the available balance by {@code delta} >
     * 0) brought the available balance back to the threshold or above; a CTE to append (begins with a
     * comma). Hold releases at settle or void do not re-arm: otherwise a player hovering at the threshold
     * would be told at every turn.
     */
    public static String lowBalanceRearmCte(String moved, String account, String delta) {
        return """
                , low_rearm as (
                    update balance_alerts b set low_armed = true
                      from %1$s m cross join alert_settings d
                     where b.account_id = %2$s and not b.low_armed and (%3$s) > 0
                       and m.balance_millicredits - m.held_millicredits
                           >= coalesce(b.low_balance_millicredits, d.low_balance_millicredits))"""
                .formatted(moved, account, delta);
    }
}
