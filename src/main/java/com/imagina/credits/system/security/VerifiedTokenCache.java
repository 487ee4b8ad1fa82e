package com.imagina.credits.system.security;

import com.imagina.credits.system.BoundedMemo;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Remembers tokens whose signature was already verified, so the engine's long-lived token is parsed and
 * its HMAC checked once, not on each of its thousands of calls a minute (about 5 % of a turn's CPU).
 * The key is the whole token text, signature included: a hit is byte for byte a token verified before,
 * so skipping the signature check is safe. The time-based claims (exp, nbf) are validated again on every
 * hit, and a token that no longer passes goes back to the full decoder, which refuses it as before.
 * At most {@value #MAX_ENTRIES} tokens are kept; when full, the cache starts over. Nothing here is
 * needed for correctness: another instance simply verifies the token itself.
 */
final class VerifiedTokenCache implements JwtDecoder {
    static final int MAX_ENTRIES = 10_000;

    private final JwtDecoder decoder;
    private final OAuth2TokenValidator<Jwt> validator;
    private final BoundedMemo<String, Jwt> verified = new BoundedMemo<>(MAX_ENTRIES);

    VerifiedTokenCache(JwtDecoder decoder, OAuth2TokenValidator<Jwt> validator) {
        this.decoder = decoder;
        this.validator = validator;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt known = verified.get(token);
        if (known != null) {
            if (!validator.validate(known).hasErrors()) {
                return known;
            }
            verified.remove(token);
        }
        Jwt jwt;
        try {
            jwt = decoder.decode(token); // throws for a bad or expired token: never cached
        } catch (BadJwtException e) {
            throw e;
        } catch (JwtException | IllegalArgumentException | IllegalStateException e) {
            // Anything else a token's content makes the decoder throw is still a bad token: 401, never 500.
            throw new BadJwtException("Malformed token", e);
        }
        verified.put(token, jwt);
        return jwt;
    }
}
