package com.imagina.credits.turns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StoredAnswerTest {
    @Test
    void dropsPostgresWhitespaceBetweenTokensAndKeepsStringsAsTheyAre() {
        assertThat(StoredAnswer.compact("{\"turnId\" : \"a b\\\" , c\", \"n\" : 1, \"x\" : \"\\\\\"}"))
                .isEqualTo("{\"turnId\":\"a b\\\" , c\",\"n\":1,\"x\":\"\\\\\"}");
        String compact = "{\"a\":1}";
        assertThat(StoredAnswer.compact(compact)).isSameAs(compact);
    }
}
