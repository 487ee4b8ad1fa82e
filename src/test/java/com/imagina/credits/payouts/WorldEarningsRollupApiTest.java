package com.imagina.credits.payouts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * World earnings read the rollup plus the live tail; after random turns over several days, some paid out and
 * some not, the answer is the same as the scan of every turn of each world — before the rollup, after it, and
 * after more turns on top of it — and the rollup did store rows (the test is not vacuous).
 */
class WorldEarningsRollupApiTest extends PayoutApiTestBase {
    static final LocalDate D1 = LocalDate.parse("2033-03-01");

    @Autowired
    WorldEarnings earnings;

    @Autowired
    WorldEarningsRollup rollup;

    @Autowired
    com.imagina.credits.worlds.Worlds worlds;

    @Test
    void rollupPlusTailEqualsTheScanOfEveryTurn() {
        Random random = new Random(25);
        String o1 = Plays.newId("ro1"), o2 = Plays.newId("ro2");
        List<String> players = new ArrayList<>();
        for (int i = 0; i < 4; i++) players.add(Plays.newId("rp" + i));
        setClock(at(D1, "08:00:00"));
        for (String a : List.of(o1, o2)) adjust(a, 1_000_000_000L);
        for (String a : players) adjust(a, 1_000_000_000L);
        List<String> mine = List.of(plays.world(o1, true), plays.world(o1, true), plays.world(o2, true),
                plays.world(o2, false));

        for (int d = 0; d < 5; d++) {
            LocalDate day = D1.plusDays(d);
            for (int i = 0; i < 8; i++) {
                setClock(at(day, String.format("%02d:%02d:00", 9 + i, random.nextInt(60))));
                String world = mine.get(random.nextInt(mine.size()));
                String account = random.nextInt(6) == 0 ? (world.equals(mine.get(2)) ? o2 : o1)
                        : players.get(random.nextInt(players.size()));
                String model = random.nextInt(3) == 0 ? Plays.FREE_ELIGIBLE_MODEL : Plays.PAID_MODEL;
                plays.play(account, world, model, 500 + random.nextInt(3_000), random.nextInt(500),
                        50 + random.nextInt(400));
            }
            if (d == 2) payThroughOk(D1.plusDays(1)); // days 1 and 2 paid, 3 to 5 not yet
        }
        assertSameAsTheScan(mine);

        setClock(at(D1.plusDays(5), "12:00:00"));
        rollUpAll();
        assertThat(storedDays(mine)).as("rollup rows of the paid days").isGreaterThan(0);
        assertThat(watermark()).isEqualTo(D1.plusDays(1)); // day 3 has unpaid charges: the rollup stops before it
        assertSameAsTheScan(mine);

        payThroughOk(D1.plusDays(4));
        assertSameAsTheScan(mine); // what was the tail is paid now, still read live
        rollUpAll();
        assertThat(watermark()).isEqualTo(D1.plusDays(4));
        assertSameAsTheScan(mine);
        plays.play(players.get(0), mine.get(0), Plays.PAID_MODEL, 1_000, 0, 100); // today: the live tail
        rollUpAll();
        assertThat(watermark()).isEqualTo(D1.plusDays(4)); // nothing more is over
        assertSameAsTheScan(mine);

        // Two instances' runs at once: each day is stored once (the watermark row's lock), nothing twice.
        setClock(at(D1.plusDays(7), "12:00:00"));
        payThroughOk(D1.plusDays(6));
        Thread other = new Thread(this::rollUpAll);
        other.start();
        rollUpAll();
        try {
            other.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(watermark()).isEqualTo(D1.plusDays(6));
        assertSameAsTheScan(mine);

        // The clock set back drops the days that are not over at the new time; the answers stay the same.
        setClock(at(D1.plusDays(3), "12:00:00"));
        assertThat(watermark()).isEqualTo(D1.plusDays(2));
        assertSameAsTheScan(mine);
    }

    private void assertSameAsTheScan(List<String> mine) {
        for (String w : mine) {
            var world = worlds.find(w).orElseThrow();
            assertThat(earnings.of(world).days()).as("world " + w)
                    .isEqualTo(earnings.daysFromEveryTurn(w).stream().map(WorldEarnings.DayRow::day).toList());
            assertThat(earnings.of(world).pendingMillicredits())
                    .isEqualTo(earnings.daysFromEveryTurn(w).stream().mapToLong(WorldEarnings.DayRow::pendingMillicredits).sum());
        }
    }

    /** Runs until caught up (the scheduled run may have done part of it already). */
    private void rollUpAll() {
        while (rollup.rollUp() > 0) {
            // the next batch
        }
    }

    private long storedDays(List<String> mine) {
        return jdbc.sql("select count(*) from world_earnings_days where world_id in (:w)").param("w", mine)
                .query(Long.class).single();
    }

    private LocalDate watermark() {
        return jdbc.sql("select through_day from world_earnings_watermark where id = 1").query(LocalDate.class).single();
    }
}
