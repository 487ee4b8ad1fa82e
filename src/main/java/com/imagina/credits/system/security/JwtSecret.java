package com.imagina.credits.system.security;

import com.imagina.credits.system.CreditsProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * that moves money does not start with a guessable key. The dev profile, without it, makes a random
 * secret once and keeps it in {@code credits.dev.jwt-secret-file} (default {@code ./data/dev-jwt-secret},
 * mode 0600), so tokens from {@code POST /dev/tokens} and the sign-in page survive restarts; deleting the
 * file revokes them all at the next start.
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
            this.secret = devSecret(Path.of(properties.dev().jwtSecretFile()));
            this.generated = true;
        } else {
            throw new MissingJwtSecretException();
        }
    }

    /** The secret kept in {@code file}, made (and written there) on first use. */
    static byte[] devSecret(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                write(file, random());
            }
            String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (kept.length() < 32) {
                throw new IOException("it holds fewer than 32 characters; delete it to make a new one");
            }
            log.info("CREDITS_JWT_SECRET is not set: the dev profile signs tokens with the secret kept in {} "
                    + "(credits.dev.jwt-secret-file); get a token with POST /dev/tokens or at /dev/sign-in", file);
            return kept.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("The dev profile keeps its token secret in " + file.toAbsolutePath()
                    + " (credits.dev.jwt-secret-file), which could not be used: " + e.getMessage()
                    + ". Point credits.dev.jwt-secret-file elsewhere or set CREDITS_JWT_SECRET.", e);
        }
    }

    private static String random() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** Created with mode 0600 where the file system has modes; a file made meanwhile by another start wins. */
    private static void write(Path file, String secret) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
        } catch (FileAlreadyExistsException raced) {
            // Another instance made it first: use theirs.
        }
    }

    byte[] bytes() {
        return Arrays.copyOf(secret, secret.length);
    }

    boolean generated() {
        return generated;
    }

    /** Refusal to start without a secret, reported as one sentence by the failure analyzer. */
    public static class MissingJwtSecretException extends IllegalStateException {
        MissingJwtSecretException() {
            super("CREDITS_JWT_SECRET is not set: the service only starts without it in the dev profile "
                    + "(--spring.profiles.active=dev).");
        }
    }
}
