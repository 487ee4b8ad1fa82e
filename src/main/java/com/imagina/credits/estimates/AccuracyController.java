package com.imagina.credits.estimates;

import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.ServiceClock;
import com.imagina.credits.system.security.Caller;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator console's view of how good the estimates are (admin): {@code GET
 * /api/v1/admin/estimates/accuracy?window=&from=&to=} — overall, per model, per model and world over the
 * last {@code window} estimated turns of each, and per UTC day from {@code from} to {@code to} (default:
 * the last 30 days) for the drift; {@code GET /api/v1/admin/estimates/backtest?from=&to=} replays the
 * stored turns through the calibration day by day ({@link Backtest}).
 */
@RestController
class AccuracyController {
    private static final int MAX_DAYS = 366;
    private static final int MAX_WINDOW = 100_000;

    private final EstimateAccuracy accuracy;
    private final Backtest backtest;
    private final ServiceClock clock;

    AccuracyController(EstimateAccuracy accuracy, Backtest backtest, ServiceClock clock) {
        this.accuracy = accuracy;
        this.backtest = backtest;
        this.clock = clock;
    }

    @GetMapping("/api/v1/admin/estimates/accuracy")
    EstimateAccuracy.Report accuracy(@RequestParam(required = false) String window,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        Caller.current().requireAdmin();
        LocalDate[] days = days(from, to, 29);
        return accuracy.report(number("window", window, accuracy.window(), MAX_WINDOW), days[0], days[1]);
    }

    @GetMapping("/api/v1/admin/estimates/backtest")
    Backtest.Result backtest(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) String worldWindow, @RequestParam(required = false) String modelWindow,
            @RequestParam(required = false) String minSamples) {
        Caller.current().requireAdmin();
        LocalDate[] days = days(from, to, 6);
        Backtest.Settings defaults = backtest.defaults();
        return backtest.run(days[0], days[1], new Backtest.Settings(
                number("worldWindow", worldWindow, defaults.worldWindow(), MAX_WINDOW),
                number("modelWindow", modelWindow, defaults.modelWindow(), MAX_WINDOW),
                number("minSamples", minSamples, defaults.minSamples(), MAX_WINDOW)));
    }

    private LocalDate[] days(String from, String to, int defaultSpan) {
        LocalDate today = ServiceClock.utcDay(clock.now());
        LocalDate end = day("to", to, today);
        LocalDate start = day("from", from, end.minusDays(defaultSpan));
        if (start.isAfter(end)) {
            throw ApiException.badRequest("from must not be after to.");
        }
        if (start.plusDays(MAX_DAYS).isBefore(end)) {
            throw ApiException.badRequest("At most " + MAX_DAYS + " days at once.");
        }
        return new LocalDate[] {start, end};
    }

    private static LocalDate day(String name, String value, LocalDate fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + " must be a day (YYYY-MM-DD).");
        }
    }

    private static int number(String name, String value, int fallback, int max) {
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw ApiException.badRequest(name + " must be a whole number from 1 to " + max + ".");
    }
}
