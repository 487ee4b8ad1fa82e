package com.imagina.credits.system.security;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;

/**
 * Spring's claim conversion, made safe for validly signed tokens with claims of the wrong type. Left to
 * itself it turns a numeric {@code sub} into text (a token that is not ours would pass) and throws for an
 * {@code exp} that is not a number, or an {@code iat} after {@code exp} (a 500, not a 401). Here: a
 * {@code sub} that is not text becomes a value the subject validator refuses; a time claim that is not a
 * number becomes one that fails validation ({@code exp}, {@code iat}: long past; {@code nbf}: never); and
 * an {@code iat} not before {@code exp} is dropped, so the expiry alone decides. Every such token is a 401.
 */
final class SafeClaims implements Converter<Map<String, Object>, Map<String, Object>> {
    /** Not a String: {@code SecurityConfig}'s subject validator refuses it. */
    static final Object NOT_TEXT = new Object() {
        @Override
        public String toString() {
            return "(not text)";
        }
    };

    private final MappedJwtClaimSetConverter spring = MappedJwtClaimSetConverter.withDefaults(Collections.emptyMap());

    @Override
    public Map<String, Object> convert(Map<String, Object> claims) {
        Map<String, Object> raw = new HashMap<>(claims);
        Object sub = raw.get(JwtClaimNames.SUB);
        boolean badSub = sub != null && !(sub instanceof String);
        raw.remove(JwtClaimNames.SUB);
        time(raw, JwtClaimNames.EXP, Instant.EPOCH.plusSeconds(1));
        time(raw, JwtClaimNames.IAT, Instant.EPOCH);
        time(raw, JwtClaimNames.NBF, Instant.parse("9999-01-01T00:00:00Z"));
        Map<String, Object> out = new HashMap<>(spring.convert(raw));
        if (sub != null) out.put(JwtClaimNames.SUB, badSub ? NOT_TEXT : sub);
        if (out.get(JwtClaimNames.IAT) instanceof Instant iat && out.get(JwtClaimNames.EXP) instanceof Instant exp
                && !exp.isAfter(iat)) {
            out.remove(JwtClaimNames.IAT);
        }
        return out;
    }

    private static void time(Map<String, Object> claims, String name, Instant ifMalformed) {
        Object value = claims.get(name);
        if (value == null || value instanceof Instant || value instanceof java.util.Date) return; // Nimbus gives Dates
        if (value instanceof Number n && Double.isFinite(n.doubleValue()) && Math.abs(n.doubleValue()) < 1e11) {
            return; // seconds since the epoch, as RFC 7519 has them (Spring converts)
        }
        claims.put(name, ifMalformed);
    }
}
