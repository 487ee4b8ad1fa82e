package com.imagina.credits.books;

import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.ServiceClock;
import com.imagina.credits.system.security.Caller;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/admin/books?from=DAY&to=DAY} (default: the last 30 days through today; at most
 * 400 days; days after today are not shown) and the same as CSV at {@code /api/v1/admin/books.csv}.
 * {@code consumedMillicredits} is the sum of the three {@code consumed*} by purpose.
 */
@RestController
class BooksController {
    private final Books books;
    private final ServiceClock clock;

    BooksController(Books books, ServiceClock clock) {
        this.books = books;
        this.clock = clock;
    }

    record BooksView(List<Map<String, Object>> days) {}

    @GetMapping("/api/v1/admin/books")
    BooksView books(@RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        Caller.current().requireAdmin();
        return new BooksView(days(from, to).stream().map(BooksController::flatten).toList());
    }

    @GetMapping("/api/v1/admin/books.csv")
    ResponseEntity<byte[]> csv(@RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        Caller.current().requireAdmin();
        List<Books.BookDay> days = days(from, to);
        StringBuilder out = new StringBuilder();
        List<String> columns = flatten(new Books.BookDay(clock.today(), 0, BookMovements.zero(), 0, 0, 0, false,
                List.of())).keySet().stream().filter(k -> !k.equals("money")).toList();
        out.append(String.join(",", columns)).append(",money\r\n");
        for (Books.BookDay day : days) {
            Map<String, Object> row = flatten(day);
            for (String c : columns) out.append(row.get(c)).append(',');
            // per currency: "usd purchased/refunded/disputed/reversed cents", separated by spaces, quoted
            StringBuilder money = new StringBuilder();
            for (Books.Money m : day.money()) {
                if (!money.isEmpty()) money.append(' ');
                money.append(m.currency()).append(' ').append(m.purchasedCents()).append('/').append(m.refundedCents())
                        .append('/').append(m.disputedCents()).append('/').append(m.disputeReversedCents());
            }
            out.append('"').append(money).append("\"\r\n");
        }
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"books.csv\"")
                .body(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    private List<Books.BookDay> days(String from, String to) {
        LocalDate today = clock.today();
        LocalDate last = to == null || to.isBlank() ? today : day(to, "to");
        LocalDate first = from == null || from.isBlank() ? last.minusDays(29) : day(from, "from");
        if (last.isBefore(first)) {
            throw ApiException.badRequest("to must not be before from.");
        }
        if (ChronoUnit.DAYS.between(first, last) >= Books.MAX_DAYS) {
            throw ApiException.badRequest("At most " + Books.MAX_DAYS + " days at a time.");
        }
        return books.days(first, last);
    }

    static Map<String, Object> flatten(Books.BookDay d) {
        Map<String, Long> m = d.movements();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("day", d.day().toString());
        row.put("openingMillicredits", d.openingMillicredits());
        row.put("purchasedMillicredits", m.get("purchasedMillicredits"));
        row.put("bonusMillicredits", m.get("bonusMillicredits"));
        row.put("grantedMillicredits", m.get("grantedMillicredits"));
        row.put("adjustedMillicredits", m.get("adjustedMillicredits"));
        row.put("consumedMillicredits", m.get("consumedPlayMillicredits") + m.get("consumedWorldTextMillicredits")
                + m.get("consumedWorldImageMillicredits"));
        row.put("consumedPlayMillicredits", m.get("consumedPlayMillicredits"));
        row.put("consumedWorldTextMillicredits", m.get("consumedWorldTextMillicredits"));
        row.put("consumedWorldImageMillicredits", m.get("consumedWorldImageMillicredits"));
        // Days closed before this figure existed have no value for it: 0 (they had no promotional grants).
        row.put("consumedPromotionalMillicredits", m.getOrDefault("consumedPromotionalMillicredits", 0L));
        row.put("freeTurnCostMillicredits", m.get("freeTurnCostMillicredits"));
        row.put("revenueShareMillicredits", m.get("revenueShareMillicredits"));
        row.put("refundedMillicredits", m.get("refundedMillicredits"));
        row.put("disputedMillicredits", m.get("disputedMillicredits"));
        row.put("disputeReversedMillicredits", m.get("disputeReversedMillicredits"));
        row.put("expiredMillicredits", m.get("expiredMillicredits"));
        row.put("uncollectedMillicredits", m.get("uncollectedMillicredits"));
        row.put("closingMillicredits", d.closingMillicredits());
        row.put("balancesAtEndMillicredits", d.balancesAtEndMillicredits());
        row.put("balanced", d.balanced());
        row.put("closed", d.closed());
        row.put("entries", d.entries());
        row.put("money", d.money());
        return row;
    }

    private static LocalDate day(String value, String name) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + " must be a UTC day such as 2026-11-24.");
        }
    }
}
