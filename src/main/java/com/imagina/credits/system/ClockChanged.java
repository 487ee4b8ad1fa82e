package com.imagina.credits.system;

import java.time.Instant;

/** Published when an admin sets the adjustable clock; {@code now} is the new time. */
public record ClockChanged(Instant now) {}
