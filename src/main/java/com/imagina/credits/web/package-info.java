/**
 * The player's web dashboard, served by the service itself. The pages are one static HTML shell
 * ({@code web/page.html}, see {@link com.imagina.credits.web.DashboardPage}) with small ES modules
 * under {@code static/js/pages/} that call only the public JSON API with the player's bearer
 * token, exactly as any other client would: nothing here reads the database or bypasses the
 * access rules. {@link com.imagina.credits.web.PageController} maps the contract's page paths
 * ({@code /}, {@code /history}, {@code /buy}, {@code /models}, {@code /journeys/{id}}, {@code /worlds}...)
 * to their pages. {@link com.imagina.credits.web.DevSignInController} is the dev profile's
 * sign-in form ({@code credits.dev.sign-in=true}); everywhere else it answers 404, so a production
 * service never mints a token for whoever asks.
 *
 * <p>The support console ({@code /admin/...}, {@link com.imagina.credits.web.AdminPage} and
 * {@link com.imagina.credits.web.AdminPageController}) is built the same way from its own shell
 * ({@code web/admin-page.html}) and modules ({@code static/js/pages/admin-*.js}, {@code static/js/admin/}): its
 * HTML holds no data, and the admin API refuses every call without the admin role.
 *
 * <p>The token travels in the URL fragment ({@code /#token=...}), which browsers never send to a
 * server, and the pages move it into the tab's {@code sessionStorage} and strip it from the address.
 */
package com.imagina.credits.web;
