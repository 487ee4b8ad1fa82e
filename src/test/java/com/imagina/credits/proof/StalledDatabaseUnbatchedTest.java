package com.imagina.credits.proof;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * {@link StalledDatabaseTest} with group commit off ({@code credits.turns.batch.enabled=false}, the default
 * before it ran without savepoints): the one-at-a-time path keeps its own bounds, a locked account's calls
 * fail fast with 503 and change nothing, and other accounts' calls answer at once.
 */
@TestPropertySource(properties = "credits.turns.batch.enabled=false")
@DirtiesContext // a context of its own, used by no other class: closed after it, so its pool's connections go
class StalledDatabaseUnbatchedTest extends StalledDatabaseTest {
    /** Not a test here: it starts a service of its own, the same as in the parent. */
    @Override
    void aStoppedOrPausedDatabaseIsDownQuicklyAndComesBack() {}
}
