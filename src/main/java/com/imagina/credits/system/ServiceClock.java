package com.imagina.credits.system;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The one clock of the service: every "now" (hold expiry, free-turn day, payout day, cache warmth)
 * comes from here. In production it is the system clock. With {@code credits.clock.adjustable=true}
 * (dev and test) an offset stored in the database shifts it, so that every instance on the same
 * database agrees on the time and a restart keeps it; time keeps flowing from the instant that was set.
 * Instants are truncated to microseconds, PostgreSQL's precision, so values compare equal after a
 * round trip.
 */
@Component
public class ServiceClock {
    private final boolean adjustable;
    private final JdbcClient jdbc;

    ServiceClock(CreditsProperties properties, JdbcClient jdbc) {
        this.adjustable = properties.clock().adjustable();
        this.jdbc = jdbc;
    }

    public Instant now() {
        Instant system = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (!adjustable) {
            return system;
        }
        Long offsetMicros = jdbc.sql("select offset_micros from service_clock where id = 1")
                .query(Long.class).optional().orElse(0L);
        return system.plus(offsetMicros, ChronoUnit.MICROS);
    }

    public LocalDate today() {
        return utcDay(now());
    }

    public static LocalDate utcDay(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    /** The next 00:00 UTC after {@code instant}: when free turns and the daily spend cap reset. */
    public static Instant nextMidnight(Instant instant) {
        return utcDay(instant).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    boolean adjustable() {
        return adjustable;
    }

    /** Sets the clock so that {@link #now()} returns {@code target} at this moment, then flows on. */
    Instant set(Instant target) {
        if (!adjustable) {
            throw new IllegalStateException("The service clock is not adjustable");
        }
        // Through Duration, not ChronoUnit.MICROS.between: that counts in nanoseconds first and
        // overflows for instants more than 292 years away.
        Duration offset = Duration.between(Instant.now(), target);
        long offsetMicros = Math.addExact(Math.multiplyExact(offset.getSeconds(), 1_000_000L), offset.getNano() / 1_000L);
        jdbc.sql("""
                insert into service_clock (id, offset_micros) values (1, :offset)
                on conflict (id) do update set offset_micros = excluded.offset_micros
                """).param("offset", offsetMicros).update();
        return now();
    }
}
