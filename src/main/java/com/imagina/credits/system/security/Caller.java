package com.imagina.credits.system.security;

import com.imagina.credits.system.ApiException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who is calling: the token's subject (an account id) and its roles. The access rules of the contract
 * live here, one method each, so every controller applies them the same way.
 */
public record Caller(String accountId, Set<Role> roles) {

    public static Caller current() {
        if (!(SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token)) {
            throw new ApiException(org.springframework.http.HttpStatus.UNAUTHORIZED, "unauthorized",
                    "A bearer token is required.");
        }
        Jwt jwt = token.getToken();
        Set<Role> roles = EnumSet.noneOf(Role.class);
        // The claim read as it is: absent or a list of strings, the only shapes the decoder lets through
        // (TokenRules.wellFormedRoles), so no conversion service (type descriptors per element, a profile's 6 %
        // of a turn's controller samples).
        if (jwt.getClaims().get("roles") instanceof Collection<?> names) {
            for (Role r : Role.values()) {
                if (names.contains(r.claim())) roles.add(r);
            }
        }
        return new Caller(jwt.getSubject(), roles);
    }

    public boolean is(Role role) {
        return roles.contains(role);
    }

    /** {@code me} means the caller's own account. */
    public String resolve(String accountIdOrMe) {
        return "me".equals(accountIdOrMe) ? accountId : accountIdOrMe;
    }

    /** A player reads and acts only on its own account; engine and admin on any. */
    public String requireAccountAccess(String accountIdOrMe) {
        String id = resolve(accountIdOrMe);
        if (is(Role.ADMIN) || is(Role.ENGINE) || (is(Role.PLAYER) && id != null && id.equals(accountId))) {
            return id;
        }
        throw ApiException.forbidden("This token may not act on account '" + id + "'.");
    }

    /** The account's own player, or an admin (limits, earnings). */
    public void requireOwnerOrAdmin(String ownerAccountId) {
        if (is(Role.ADMIN) || (is(Role.PLAYER) && ownerAccountId.equals(accountId))) {
            return;
        }
        throw ApiException.forbidden("Only the owner or an admin may do that.");
    }

    public void requireEngine() {
        if (!is(Role.ENGINE) && !is(Role.ADMIN)) {
            throw ApiException.forbidden("This call needs the engine role.");
        }
    }

    public void requireAdmin() {
        if (!is(Role.ADMIN)) {
            throw ApiException.forbidden("This call needs the admin role.");
        }
    }
}
