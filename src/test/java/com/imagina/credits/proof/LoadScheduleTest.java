package com.imagina.credits.proof;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The load client's pacing: when each turn is due, and that latency is counted from then. */
class LoadScheduleTest {

    @Test
    void aClosedLoopStartsEachTurnAtOnce() {
        LoadClient.Schedule closed = LoadClient.Schedule.of(null, 64, 3);
        long before = System.nanoTime();
        assertThat(closed.awaitTurn(1_000)).isBetween(before, System.nanoTime());
    }

    @Test
    void pacedClientsShareTheRateAndSpreadTheirBeats() {
        // 64 clients offering 320 turns/s: each starts one every 200 ms, client 16 a quarter beat after client 0.
        LoadClient.Schedule first = LoadClient.Schedule.of("320", 64, 0, 1_000);
        LoadClient.Schedule later = LoadClient.Schedule.of("320", 64, 16, 1_000);
        assertThat(first.intervalNanos()).isEqualTo(200_000_000L);
        assertThat(later.intervalNanos()).isEqualTo(200_000_000L);
        assertThat(first.startNanos()).isEqualTo(1_000);
        assertThat(later.startNanos()).isEqualTo(1_000 + 50_000_000L);
    }

    @Test
    void aTurnIsNotStartedBeforeItIsDueAndItsDueTimeIsReturned() {
        LoadClient.Schedule fast = LoadClient.Schedule.of("20000", 1, 0); // one turn every 50 µs
        long due = fast.awaitTurn(40);
        assertThat(due).isEqualTo(fast.startNanos() + 40 * 50_000L);
        assertThat(System.nanoTime()).isGreaterThanOrEqualTo(due);
        // A client that is behind does not wait, and its latency still counts from the turn's due time.
        assertThat(fast.awaitTurn(1)).isEqualTo(fast.startNanos() + 50_000L);
    }
}
