package com.imagina.credits.accounts;

import com.imagina.credits.ledger.EntryType;
import com.imagina.credits.ledger.History;
import com.imagina.credits.ledger.LedgerEntry;
import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.security.Caller;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.PositiveOrZero;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** Balance, free turns, the daily cap and the transaction history (JSON and CSV). */
@RestController
@RequestMapping("/api/v1/accounts")
class AccountController {
    private final AccountService service;
    private final History history;

    AccountController(AccountService service, History history) {
        this.service = service;
        this.history = history;
    }

    @GetMapping("/{accountId}")
    AccountView get(@PathVariable String accountId) {
        return service.view(checkedId(Caller.current().requireAccountAccess(accountId)));
    }

    /** {@code null} removes the cap; the key must be present so that a typo does not remove it. */
    @PutMapping("/{accountId}/limits")
    AccountView.LimitsView putLimits(@PathVariable String accountId, @RequestBody Map<String, Object> body) {
        Caller caller = Caller.current();
        String id = checkedId(caller.resolve(accountId));
        caller.requireOwnerOrAdmin(id);
        if (body == null || !body.containsKey("dailySpendLimitMillicredits") || body.size() != 1) {
            throw ApiException.badRequest("Body must be {\"dailySpendLimitMillicredits\": <millicredits or null>}.");
        }
        Object value = body.get("dailySpendLimitMillicredits");
        Long limit;
        if (value == null) {
            limit = null;
        } else if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() >= 0
                && ((Number) value).longValue() <= 1_000_000_000_000L) {
            limit = ((Number) value).longValue();
        } else {
            throw ApiException.badRequest("dailySpendLimitMillicredits must be a whole number of millicredits ≥ 0, or null.");
        }
        return service.setDailyLimit(id, limit);
    }

    record TransactionView(long id, EntryType type, long amountMillicredits, Long fullCostMillicredits,
            long balanceAfterMillicredits, String description, String turnId, String modelId, String worldId,
            Instant createdAt) {
        static TransactionView of(LedgerEntry e) {
            return new TransactionView(e.id(), e.type(), e.amountMillicredits(), e.fullCostMillicredits(),
                    e.balanceAfterMillicredits(), e.description(), e.turnId(), e.modelId(), e.worldId(), e.createdAt());
        }
    }

    record TransactionPage(List<TransactionView> items, String nextCursor) {}

    @GetMapping("/{accountId}/transactions")
    TransactionPage transactions(@PathVariable String accountId,
            @RequestParam(defaultValue = "50") @PositiveOrZero @Max(History.MAX_LIMIT) int limit,
            @RequestParam(required = false) String cursor, @RequestParam(required = false) String type) {
        String id = checkedId(Caller.current().requireAccountAccess(accountId));
        History.Page page = history.page(id, parseType(type), cursor, limit);
        return new TransactionPage(page.items().stream().map(TransactionView::of).toList(), page.nextCursor());
    }

    @GetMapping("/{accountId}/transactions.csv")
    ResponseEntity<StreamingResponseBody> csv(@PathVariable String accountId,
            @RequestParam(required = false) String type) {
        String id = checkedId(Caller.current().requireAccountAccess(accountId));
        EntryType filter = parseType(type);
        StreamingResponseBody body = out -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            writer.write(TransactionsCsv.HEADER);
            history.stream(id, filter, entry -> {
                try {
                    writer.write(TransactionsCsv.row(entry));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            writer.flush();
        };
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                // RFC 6266/5987: the account id is encoded, never pasted into the header as it came.
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename("transactions-" + id + ".csv", StandardCharsets.UTF_8).build().toString())
                .body(body);
    }

    private static EntryType parseType(String type) {
        if (type == null || type.isEmpty()) return null;
        try {
            return EntryType.fromWire(type);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Unknown transaction type '" + type + "'.");
        }
    }

    static String checkedId(String id) {
        if (id == null || id.isBlank() || id.length() > 200) {
            throw ApiException.badRequest("Account ids are 1 to 200 characters.");
        }
        return id;
    }

}
