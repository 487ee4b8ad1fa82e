package com.imagina.credits.proof;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The service clock as the fault test moves it. Every client operation runs under the read lock
 * (its retries included); moving the clock takes the write lock, so no call is ever in flight while
 * the clock jumps, and each operation knows for sure which UTC day it ran on. A jump is 11 minutes,
 * past the 10-minute hold lifetime (or to the next morning), and never lands after 23:00: it goes to 00:30 of the next day
 * instead, so that real time flowing on within an epoch never crosses a midnight.
 */
final class FaultClock {
    static final Duration JUMP = Duration.ofMinutes(11);
    private static final LocalTime LATEST = LocalTime.of(23, 0);

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile Instant base;
    private volatile long baseNanos;
    private volatile int jumps;

    FaultClock(Instant start) {
        set(start);
    }

    void enter() {
        lock.readLock().lock();
    }

    void exit() {
        lock.readLock().unlock();
    }

    /** The service's time now, as far as the test knows (set instant + real time since). */
    Instant now() {
        return base.plusNanos(System.nanoTime() - baseNanos);
    }

    /** The UTC day of the current epoch; call under the read lock. */
    LocalDate day() {
        LocalDate day = LocalDate.ofInstant(base, ZoneOffset.UTC);
        if (!LocalDate.ofInstant(now(), ZoneOffset.UTC).equals(day)) {
            throw new AssertionError("An epoch of the fault test's clock crossed midnight: " + base + " → " + now());
        }
        return day;
    }

    int jumps() {
        return jumps;
    }

    /**
     * Runs {@code setter} with the next instant under the write lock (no call in flight): 11 minutes
     * on, or with {@code toNextDay} 00:30 of the next day (free turns and spend caps reset, a day to pay).
     */
    void jump(boolean toNextDay, java.util.function.Consumer<Instant> setter) {
        lock.writeLock().lock();
        try {
            Instant next = now().plus(JUMP);
            if (toNextDay || LocalTime.ofInstant(next, ZoneOffset.UTC).isAfter(LATEST)
                    || !LocalDate.ofInstant(next, ZoneOffset.UTC).equals(LocalDate.ofInstant(base, ZoneOffset.UTC))) {
                next = nextDay(base);
            }
            setter.accept(next);
            set(next);
            jumps++;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** 00:30 of the day after {@code instant}'s day. */
    static Instant nextDay(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC).plusDays(1).atTime(0, 30).toInstant(ZoneOffset.UTC);
    }

    private void set(Instant instant) {
        base = instant;
        baseNanos = System.nanoTime();
    }
}
