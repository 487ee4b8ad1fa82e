package com.imagina.credits.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.imagina.credits.support.ApiTest;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The token's {@code roles} claim as {@link Caller} reads it (the claim as it is, no conversion service): absent
 * or a list of role names, matched exactly; any other shape is refused by the decoder (401). Checked
 * through real HTTP with signed tokens: an admin-only read of another account answers 200 only to a token
 * whose claim names {@code admin}.
 */
class CallerRolesApiTest extends ApiTest {
    @Test
    void theRolesClaimIsReadAsAListOrOneName() throws Exception {
        String account = id("roles");
        adjust(account, 1_000);
        String path = "/api/v1/accounts/" + account;

        assertThat(status(path, List.of("admin"))).as("a list").isEqualTo(200);
        assertThat(status(path, List.of("player", "engine", "admin"))).as("among others").isEqualTo(200);
        assertThat(status(path, List.of("Admin", "admin ", "superuser"))).as("names match exactly").isEqualTo(403);
        assertThat(status(path, List.of("player"))).as("a player, another's account").isEqualTo(403);
        assertThat(status(path, null)).as("no roles at all").isEqualTo(403);
        // Any other shape is not a token of ours (TokenRules.wellFormedRoles): Caller never sees it.
        assertThat(status(path, "admin")).as("one name alone").isEqualTo(401);
        assertThat(status(path, Arrays.asList(7, null, "admin"))).as("not all strings").isEqualTo(401);
        assertThat(status(path, 42)).as("a number").isEqualTo(401);
    }

    private int status(String path, Object roles) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(id("caller"))
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(600)));
        if (roles != null) {
            claims.claim("roles", roles);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return api.get(path, jwt.serialize()).status();
    }
}
