/**
 * Cross-cutting plumbing: configuration ({@link com.imagina.credits.system.CreditsProperties}), the one
 * service clock, problem+json errors, strict JSON, the database (external or embedded PostgreSQL), security
 * (HS256 JWT via Spring Security's resource server) and admin operations that belong to no single feature.
 */
package com.imagina.credits.system;
