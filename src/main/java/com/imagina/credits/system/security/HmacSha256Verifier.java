package com.imagina.credits.system.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.MessageDigest;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HS256 verification that accepts secrets of any length. Nimbus' own MACVerifier refuses keys shorter
 * than 256 bits, but the contract only says "HS256 with the secret from CREDITS_JWT_SECRET", and a
 * shorter shared secret must not turn every request into a 401. Comparison is constant-time.
 */
final class HmacSha256Verifier implements JWSVerifier {
    private final byte[] secret;
    private final JCAContext jcaContext = new JCAContext();

    HmacSha256Verifier(byte[] secret) {
        this.secret = secret.clone();
    }

    /** The factory Nimbus asks for a verifier: always this one, for HS256 only. */
    static JWSVerifierFactory factory(byte[] secret) {
        HmacSha256Verifier verifier = new HmacSha256Verifier(secret);
        return new JWSVerifierFactory() {
            @Override
            public JWSVerifier createJWSVerifier(JWSHeader header, Key key) {
                return verifier;
            }

            @Override
            public Set<JWSAlgorithm> supportedJWSAlgorithms() {
                return verifier.supportedJWSAlgorithms();
            }

            @Override
            public JCAContext getJCAContext() {
                return verifier.getJCAContext();
            }
        };
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) {
        if (!JWSAlgorithm.HS256.equals(header.getAlgorithm())) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return MessageDigest.isEqual(mac.doFinal(signingInput), signature.decode());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return Set.of(JWSAlgorithm.HS256);
    }

    @Override
    public JCAContext getJCAContext() {
        return jcaContext;
    }
}
