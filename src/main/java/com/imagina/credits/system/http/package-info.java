/**
 * Bounds on what comes from outside over HTTP: body size and body time ({@link
 * com.imagina.credits.system.http.BodyLimitFilter}, 413 / 408 before anything is parsed), ids without control
 * characters, no NULs and no duplicate JSON keys ({@link com.imagina.credits.system.http.InputChecks}), and
 * the {@code Retry-After} of a 503 ({@link com.imagina.credits.system.http.HttpLimits}).
 */
package com.imagina.credits.system.http;
