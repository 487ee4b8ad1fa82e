package com.imagina.credits.system.security;

import com.imagina.credits.system.CreditsProperties;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

/**
 * The HS256 secret. Outside the dev profile it must come from {@code CREDITS_JWT_SECRET}: a service
 * that moves money does not start with a guessable key. The dev profile makes a random one per start
 * and mints tokens for the dev sign-in page.
 */
@Component
public class JwtSecret {
    private static final Logger log = LoggerFactory.getLogger(JwtSecret.class);
    private final byte[] secret;
    private final boolean generated;

    public JwtSecret(CreditsProperties properties, Environment environment) {
        String configured = properties.jwt().secret();
        if (configured != null && !configured.isBlank()) {
            this.secret = configured.getBytes(StandardCharsets.UTF_8);
            this.generated = false;
        } else if (environment.acceptsProfiles(Profiles.of("dev"))) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            this.secret = HexFormat.of().formatHex(random).getBytes(StandardCharsets.UTF_8);
            this.generated = true;
            log.warn("CREDITS_JWT_SECRET is not set: the dev profile uses a random secret; sign in at /dev/sign-in");
        } else {
            throw new MissingJwtSecretException();
        }
    }

    byte[] bytes() {
        return Arrays.copyOf(secret, secret.length);
    }

    public boolean generated() {
        return generated;
    }

    /** Refusal to start without a secret, reported as one sentence by the failure analyzer. */
    public static class MissingJwtSecretException extends IllegalStateException {
        public MissingJwtSecretException() {
            super("CREDITS_JWT_SECRET is not set: the service only starts without it in the dev profile "
                    + "(--spring.profiles.active=dev).");
        }
    }
}
