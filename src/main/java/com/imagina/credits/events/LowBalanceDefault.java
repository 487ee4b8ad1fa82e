package com.imagina.credits.events;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Copies {@code credits.events.low-balance-default-millicredits} (0: none) into {@code alert_settings} at
 * start, where the {@code balance.low} trigger reads it. Every instance should be configured alike; the
 * last one to start wins.
 */
@Component
class LowBalanceDefault {
    private final JdbcClient jdbc;
    private final EventsProperties properties;

    LowBalanceDefault(JdbcClient jdbc, EventsProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    void write() {
        Long value = properties.lowBalanceDefaultMillicredits() == 0 ? null : properties.lowBalanceDefaultMillicredits();
        jdbc.sql("""
                update alert_settings set low_balance_millicredits = cast(:v as bigint)
                 where id = 1 and low_balance_millicredits is distinct from cast(:v as bigint)""")
                .param("v", value).update();
    }
}
