package com.imagina.credits.system.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.imagina.credits.system.ProblemResponses;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.HeaderWriter;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Bearer JWT (HS256) on the API through Spring Security's resource server, with 401 and 403 answered
 * as problem+json. Pages, static files, docs, health and the Stripe webhook (authenticated by its
 * signature) are open; the other actuator endpoints (metrics, prometheus, info) need the admin role.
 *
 * <p>Roles are checked twice, on purpose. Here, by path: the admin API and the engine's calls are
 * refused before their body is read, so a player learns nothing from validation errors. Again in each
 * controller method, through {@link Caller} ({@code requireEngine}, {@code requireAdmin}, and the
 * fine-grained rules — own account, owner of a world — that only the controller can decide): the
 * method states its own rule next to its code, so a renamed path or a new mapping that the patterns
 * here miss cannot open a money-moving call. The two agree; {@code BadInputFuzzTest} sends wrong-role
 * tokens to every endpoint.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    /**
     * The journey popover is opened by the game client, which may show it in a frame: this one page (a
     * read-only view that holds no actions) may be framed, by {@code credits.web.frame-ancestors} only
     * (CSP {@code frame-ancestors}; default {@code 'self'}); every other page keeps X-Frame-Options DENY
     * and {@code frame-ancestors 'none'}.
     */
    @Bean
    @Order(1)
    SecurityFilterChain framableJourneyPopover(HttpSecurity http, WebFraming framing) throws Exception {
        http.securityMatcher("/journeys/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .headers(h -> {
                    // Added beside the page's own CSP (which Spring's CSP writer would not replace): both hold.
                    h.addHeaderWriter(frameAncestors(framing.frameAncestors()));
                    if (framing.selfOnly()) {
                        h.frameOptions(f -> f.sameOrigin());
                    } else {
                        h.frameOptions(f -> f.disable());
                    }
                })
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll());
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain api(HttpSecurity http, ObjectMapper json) throws Exception {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(c -> c.disable())
                .headers(h -> h.addHeaderWriter(frameAncestors("'none'")))
                .authorizeHttpRequests(auth -> auth
                        // Load balancers probe health; metrics and the rest of actuator are the operator's.
                        .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/actuator/**").hasRole("admin")
                        .requestMatchers(HttpMethod.POST, "/api/v1/stripe/webhook").permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/v1/packs").permitAll()
                        .requestMatchers("/api/v1/admin/**").hasRole("admin")
                        // Engine endpoints: the role is checked before the body is even read.
                        .requestMatchers(HttpMethod.POST, "/api/v1/turns", "/api/v1/turns/**").hasAnyRole("engine", "admin")
                        .requestMatchers(HttpMethod.PUT, "/api/v1/worlds/**").hasAnyRole("engine", "admin")
                        .requestMatchers("/api/**").authenticated()
                        .anyRequest().permitAll())
                .oauth2ResourceServer(rs -> rs
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(rolesConverter()))
                        .authenticationEntryPoint((req, res, e) -> ProblemResponses.write(res, json,
                                HttpStatus.UNAUTHORIZED, "unauthorized", "A valid bearer token is required."))
                        .accessDeniedHandler((req, res, e) -> ProblemResponses.write(res, json,
                                HttpStatus.FORBIDDEN, "forbidden", "This token may not do that.")))
                .exceptionHandling(ex -> ex
                        .authenticationEntryPoint((req, res, e) -> ProblemResponses.write(res, json,
                                HttpStatus.UNAUTHORIZED, "unauthorized", "A valid bearer token is required."))
                        .accessDeniedHandler((req, res, e) -> ProblemResponses.write(res, json,
                                HttpStatus.FORBIDDEN, "forbidden", "This token may not do that.")));
        return http.build();
    }

    /** A CSP header of its own with just {@code frame-ancestors}; a page's own CSP header stays as well. */
    private static HeaderWriter frameAncestors(String sources) {
        String value = "frame-ancestors " + sources;
        return (request, response) -> {
            if (!response.getHeaders("Content-Security-Policy").contains(value)) {
                response.addHeader("Content-Security-Policy", value);
            }
        };
    }

    /**
     * No observations of Spring Security's own filters, authentications and authorizations: with them,
     * every request passes each of the chain's dozen filters through an observation wrapper (timers
     * and long-task timers, about 10 % of a turn's CPU under load), a cost paid twice per turn.
     * {@code http.server.requests} still times every request. (Filtering them out with the property
     * {@code management.observations.enable.spring.security=false} only makes the wrappers no-ops;
     * without observations the chain is not wrapped at all.)
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * Requests the firewall refuses before any controller runs (encoded slashes, {@code ;}, {@code %25},
     * {@code ..}, odd parameter names): 400 as problem+json, like every other client error.
     */
    @Bean
    RequestRejectedHandler requestRejectedHandler(ObjectMapper json) {
        return (req, res, e) -> ProblemResponses.write(res, json, HttpStatus.BAD_REQUEST, "invalid_request",
                "The request was rejected as malformed.");
    }

    @Bean
    JwtDecoder jwtDecoder(JwtSecret secret, TokenRules rules) {
        return hs256Decoder(secret.bytes(), rules);
    }

    static JwtDecoder hs256Decoder(byte[] key) {
        return hs256Decoder(key, new TokenRules(null, null, null));
    }

    /**
     * HS256 tokens signed with {@code key}, with a subject, an expiry, well-formed roles (and, when
     * configured, a bounded lifetime, the issuer and the audience); verified once per token text.
     */
    static JwtDecoder hs256Decoder(byte[] key, TokenRules rules) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        SecretKeySpec spec = new SecretKeySpec(key, "HmacSHA256");
        processor.setJWSKeySelector((header, context) ->
                JWSAlgorithm.HS256.equals(header.getAlgorithm()) ? List.of(spec) : List.of());
        processor.setJWSVerifierFactory(HmacSha256Verifier.factory(key));
        // Spring validates exp/nbf itself; Nimbus' own claims check would demand nothing more.
        processor.setJWTClaimsSetVerifier((claims, context) -> { });
        NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
        decoder.setClaimSetConverter(new SafeClaims());
        // Every token names its account: one without a subject is not a token of ours (401), rather
        // than a caller with no account reaching code that needs one.
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>(List.of(
                // The subject is an account id: 1–200 characters without control characters.
                new JwtClaimValidator<Object>(JwtClaimNames.SUB, sub -> sub instanceof String s && !s.isBlank()
                        && s.length() <= 200 && s.chars().noneMatch(Character::isISOControl)),
                // A token that never expires is a key that can never be taken back.
                new JwtClaimValidator<Object>(JwtClaimNames.EXP, exp -> exp != null),
                new JwtClaimValidator<Object>("roles", TokenRules::wellFormedRoles)));
        validators.addAll(rules.validators());
        OAuth2TokenValidator<Jwt> validator = JwtValidators.createDefaultWithValidators(validators);
        decoder.setJwtValidator(validator);
        return new VerifiedTokenCache(decoder, validator);
    }

    private static JwtAuthenticationConverter rolesConverter() {
        JwtGrantedAuthoritiesConverter authorities = new JwtGrantedAuthoritiesConverter();
        authorities.setAuthoritiesClaimName("roles");
        authorities.setAuthorityPrefix("ROLE_");
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(authorities);
        return converter;
    }
}
