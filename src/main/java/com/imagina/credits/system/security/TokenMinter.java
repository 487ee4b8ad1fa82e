package com.imagina.credits.system.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/** Mints HS256 tokens with the service's secret: for the dev sign-in page and the simulated checkout. */
@Component
public class TokenMinter {
    private final byte[] secret;

    public TokenMinter(JwtSecret secret) {
        this.secret = secret.bytes();
    }

    public String mint(String accountId, List<String> roles, Duration lifetime) {
        return mint(secret, accountId, roles, Instant.now().plus(lifetime));
    }

    /** Static so that tests and tools sign exactly the way the service verifies. */
    public static String mint(byte[] secret, String accountId, List<String> roles, Instant expiresAt) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(accountId)
                .claim("roles", roles)
                .issueTime(new Date())
                .expirationTime(Date.from(expiresAt))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new Signer(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private record Signer(byte[] secret) implements JWSSigner {
        @Override
        public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret, "HmacSHA256"));
                return Base64URL.encode(mac.doFinal(signingInput));
            } catch (GeneralSecurityException e) {
                throw new JOSEException(e.getMessage(), e);
            }
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return Set.of(JWSAlgorithm.HS256);
        }

        @Override
        public JCAContext getJCAContext() {
            return new JCAContext();
        }
    }
}
