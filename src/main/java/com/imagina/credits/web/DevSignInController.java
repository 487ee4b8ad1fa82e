package com.imagina.credits.web;

import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.CreditsProperties;
import com.imagina.credits.system.security.TokenMinter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /dev/sign-in}: pick an account id and a role, get a 12-hour token, land on the dashboard with
 * it in the URL fragment. Only where {@code credits.dev.sign-in=true} (the dev profile); elsewhere the
 * path does not exist (404), because anyone could use it to act as anyone.
 */
@Controller
class DevSignInController {
    static final List<String> ROLES = List.of("player", "engine", "admin");
    static final Duration LIFETIME = Duration.ofHours(12);
    /** Ids a person types: no spaces or markup, so they read the same in URLs, logs and pages. */
    static final Pattern ACCOUNT_ID = Pattern.compile("[A-Za-z0-9._@:-]{1,200}");

    private final boolean enabled;
    private final TokenMinter minter;

    DevSignInController(CreditsProperties properties, TokenMinter minter) {
        this.enabled = properties.dev().signIn();
        this.minter = minter;
    }

    @GetMapping("/dev/sign-in")
    ResponseEntity<String> form() {
        requireEnabled();
        return html(HttpStatus.OK, DevSignInPage.render("", "player", null));
    }

    @PostMapping("/dev/sign-in")
    ResponseEntity<String> signIn(@RequestParam(defaultValue = "") String accountId,
            @RequestParam(defaultValue = "player") String role) {
        requireEnabled();
        String id = accountId.strip();
        if (!ACCOUNT_ID.matcher(id).matches()) {
            return html(HttpStatus.BAD_REQUEST, DevSignInPage.render(id, role,
                    "An account id is 1 to 200 letters, digits or . _ @ : - (no spaces)."));
        }
        if (!ROLES.contains(role)) {
            return html(HttpStatus.BAD_REQUEST, DevSignInPage.render(id, "player", "Choose player, engine or admin."));
        }
        String token = minter.mint(id, List.of(role), LIFETIME);
        // 303: the browser follows with a GET; the fragment never reaches a server or a log.
        return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create("/#token=" + token))
                .cacheControl(CacheControl.noStore()).build();
    }

    private void requireEnabled() {
        if (!enabled) {
            throw ApiException.notFound("not_found", "No such resource.");
        }
    }

    private static ResponseEntity<String> html(HttpStatus status, String body) {
        return ResponseEntity.status(status)
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noStore())
                .headers(PageHeaders::apply)
                .body(body);
    }
}
