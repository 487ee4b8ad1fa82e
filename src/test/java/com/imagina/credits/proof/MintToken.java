package com.imagina.credits.proof;

import com.imagina.credits.system.security.TokenMinter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Prints a token signed with {@code CREDITS_JWT_SECRET}, for scripts: {@code MintToken ROLE [ACCOUNT]}
 * (account defaults to {@code bench-ROLE}); valid for one hour.
 */
public final class MintToken {
    private MintToken() {}

    public static void main(String[] args) {
        String secret = System.getenv("CREDITS_JWT_SECRET");
        if (args.length < 1 || secret == null || secret.isBlank()) {
            System.err.println("usage: CREDITS_JWT_SECRET=... MintToken ROLE [ACCOUNT]");
            System.exit(2);
        }
        String account = args.length > 1 ? args[1] : "bench-" + args[0];
        System.out.println(TokenMinter.mint(secret.getBytes(StandardCharsets.UTF_8), account,
                Arrays.asList(args[0].split(",")), Instant.now().plusSeconds(3600)));
    }
}
