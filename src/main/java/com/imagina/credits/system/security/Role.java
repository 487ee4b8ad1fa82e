package com.imagina.credits.system.security;

/** The roles a token may carry in its {@code roles} claim. */
public enum Role {
    PLAYER, ENGINE, ADMIN;

    String claim() {
        return name().toLowerCase();
    }

    String authority() {
        return "ROLE_" + claim();
    }
}
