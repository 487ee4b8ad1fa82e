package com.imagina.credits.system.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/** The cache in front of the real HS256 decoder: what it may skip, and what it must not. */
class VerifiedTokenCacheTest {
    private static final byte[] KEY = "a-test-secret-of-some-length".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final AtomicInteger decodes = new AtomicInteger();
    private final AtomicBoolean stillValid = new AtomicBoolean(true);
    private final OAuth2TokenValidator<Jwt> validator = jwt -> stillValid.get()
            ? OAuth2TokenValidatorResult.success()
            : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "expired", null));
    private final JwtDecoder real = SecurityConfig.hs256Decoder(KEY);
    private final JwtDecoder counting = token -> {
        decodes.incrementAndGet();
        if (!stillValid.get()) {
            throw new BadJwtException("expired");
        }
        return real.decode(token);
    };
    private final VerifiedTokenCache cache = new VerifiedTokenCache(counting, validator);

    @Test
    void aTokenIsVerifiedOnceThenServedFromTheCache() {
        String token = TokenMinter.mint(KEY, "player-1", List.of("player"), Instant.now().plusSeconds(600));
        Jwt first = cache.decode(token);
        Jwt again = cache.decode(token);
        assertThat(again).isSameAs(first);
        assertThat(again.getSubject()).isEqualTo("player-1");
        assertThat(decodes).hasValue(1);
    }

    @Test
    void aCachedTokenThatNoLongerValidatesGoesBackToTheDecoderAndIsRefused() {
        String token = TokenMinter.mint(KEY, "player-2", List.of("player"), Instant.now().plusSeconds(600));
        cache.decode(token);
        stillValid.set(false);
        assertThatThrownBy(() -> cache.decode(token)).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> cache.decode(token)).isInstanceOf(BadJwtException.class);
        assertThat(decodes).hasValue(3);
    }

    @Test
    void aTamperedTokenIsNeverAHit() {
        String token = TokenMinter.mint(KEY, "player-3", List.of("player"), Instant.now().plusSeconds(600));
        cache.decode(token);
        String forged = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
        assertThatThrownBy(() -> cache.decode(forged)).isInstanceOf(BadJwtException.class);
        assertThat(decodes).hasValue(2);
    }

    @Test
    void theRealDecoderBehindItStillRefusesAWrongSecret() {
        String token = TokenMinter.mint("another-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8), "player-4", List.of("player"),
                Instant.now().plusSeconds(600));
        assertThatThrownBy(() -> new VerifiedTokenCache(real, validator).decode(token))
                .isInstanceOf(BadJwtException.class);
    }
}
