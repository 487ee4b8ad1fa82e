/**
 * The daily free-turn allowance ({@code credits.free-turns.daily-allowance}, default 5), reset at 00:00 UTC
 * of the service clock without any job: the account row counts free turns used on one day. Free turns apply
 * only to {@code play} on models that are not credits-only, and are used before any credits.
 */
package com.imagina.credits.freeturns;
