/**
 * Who is calling: HS256 JWTs checked by Spring Security's resource server (a token must carry {@code exp};
 * malformed claims are 401; optional maximum lifetime, issuer and audience: {@link
 * com.imagina.credits.system.security.TokenRules}), the roles {@code player}, {@code engine} and {@code admin}
 * ({@link com.imagina.credits.system.security.Role}), the caller of a request and what it may see ({@link
 * com.imagina.credits.system.security.Caller}), and the pages' framing rule.
 */
package com.imagina.credits.system.security;
