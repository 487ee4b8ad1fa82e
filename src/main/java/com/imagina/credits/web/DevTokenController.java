package com.imagina.credits.web;

import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.CreditsProperties;
import com.imagina.credits.system.security.TokenMinter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /dev/tokens?accountId=u-1&role=engine}: a token in one line for curl and Swagger UI, in the
 * dev profile only (where {@code credits.dev.sign-in=true}; elsewhere 404, like the sign-in page). JSON
 * {@code {"token","accountId","roles","expiresAt"}}, or the bare token with {@code Accept: text/plain}.
 */
@RestController
@Tag(name = "Dev")
class DevTokenController {
    static final Duration DEFAULT_LIFETIME = DevSignInController.LIFETIME;
    static final int MAX_HOURS = 24 * 30;

    private final boolean enabled;
    private final TokenMinter minter;

    DevTokenController(CreditsProperties properties, TokenMinter minter) {
        this.enabled = properties.dev().signIn();
        this.minter = minter;
    }

    @PostMapping("/dev/tokens")
    @Operation(summary = "Mint a token (dev profile only)",
            description = "Signs a token with the dev secret (kept in ./data/dev-jwt-secret, so it survives restarts). "
                    + "`role` may repeat or be comma-separated: `player`, `engine`, `admin`. "
                    + "With `Accept: text/plain` the answer is the bare token, for `TOKEN=$(curl …)`. "
                    + "Paste the token into Swagger UI's Authorize button.")
    ResponseEntity<?> mint(
            @Parameter(description = "The token's subject: the account it acts as (created on first use).", example = "u-1")
            @RequestParam(defaultValue = "dev-player") String accountId,
            @Parameter(description = "Roles, repeated or comma-separated.", example = "engine")
            @RequestParam(defaultValue = "player") List<String> role,
            @Parameter(description = "Lifetime in hours, 1 to 720.", example = "12")
            @RequestParam(required = false) Integer hours,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        if (!enabled) {
            throw ApiException.notFound("not_found", "No such resource.");
        }
        String id = accountId.strip();
        if (!DevSignInController.ACCOUNT_ID.matcher(id).matches()) {
            throw ApiException.badRequest("accountId must be 1 to 200 letters, digits or . _ @ : - (no spaces).");
        }
        List<String> roles = new ArrayList<>();
        for (String r : role) {
            for (String one : r.split(",")) {
                String name = one.strip();
                if (!DevSignInController.ROLES.contains(name)) {
                    throw ApiException.badRequest("role must be player, engine or admin.");
                }
                if (!roles.contains(name)) roles.add(name);
            }
        }
        if (roles.isEmpty()) {
            throw ApiException.badRequest("role must be player, engine or admin.");
        }
        if (hours != null && (hours < 1 || hours > MAX_HOURS)) {
            throw ApiException.badRequest("hours must be between 1 and " + MAX_HOURS + ".");
        }
        Duration lifetime = hours == null ? DEFAULT_LIFETIME : Duration.ofHours(hours);
        Instant expiresAt = Instant.now().plus(lifetime);
        String token = minter.mint(id, roles, lifetime);
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok().cacheControl(CacheControl.noStore());
        if (wantsText(accept)) {
            return ok.contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8)).body(token + "\n");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", token);
        body.put("accountId", id);
        body.put("roles", roles);
        body.put("expiresAt", expiresAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        return ok.contentType(MediaType.APPLICATION_JSON).body(body);
    }

    /** Plain text only when asked for and JSON is not: curl's default {@code *}{@code /*} gets JSON. */
    private static boolean wantsText(String accept) {
        if (accept == null) return false;
        List<MediaType> types;
        try {
            types = MediaType.parseMediaTypes(accept);
        } catch (RuntimeException e) {
            return false;
        }
        boolean text = types.stream().anyMatch(t -> t.getType().equals("text") && t.getSubtype().equals("plain"));
        boolean json = types.stream().anyMatch(t -> t.getSubtype().equals("json"));
        return text && !json;
    }
}
