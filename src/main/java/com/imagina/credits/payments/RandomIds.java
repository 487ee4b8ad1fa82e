package com.imagina.credits.payments;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Unguessable hex for ids and secrets made here (simulated sessions, events, the dev webhook secret). */
final class RandomIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomIds() {}

    static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
