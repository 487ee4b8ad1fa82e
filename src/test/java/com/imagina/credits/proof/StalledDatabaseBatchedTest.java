package com.imagina.credits.proof;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * {@link StalledDatabaseTest} with two places in flight ({@code GroupCommit}, on by default): a locked account's calls still fail
 * fast with 503 and change nothing, and the calls of other accounts still answer within seconds, though some
 * of them queue behind the locked account's calls (two places in flight, eight calls stuck on the lock).
 * Before the batch's own short lock wait and the overdue start, another account's turn queued behind calls
 * that each waited the full 2 s lock timeout inside its batch, one after the other.
 */
@TestPropertySource(properties = {"credits.turns.batch.enabled=true", "credits.turns.batch.in-flight=2"})
@DirtiesContext // a context of its own, used by no other class: closed after it, so its pool's connections go
class StalledDatabaseBatchedTest extends StalledDatabaseTest {
    /** Not a test here: it starts a service of its own, the same as in the parent. */
    @Override
    void aStoppedOrPausedDatabaseIsDownQuicklyAndComesBack() {}
}
