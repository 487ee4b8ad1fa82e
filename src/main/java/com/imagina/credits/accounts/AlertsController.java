package com.imagina.credits.accounts;

import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.security.Caller;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET}/{@code PUT /api/v1/accounts/{id}/alerts} {@code {"lowBalanceMillicredits": N | null}}: the
 * player for its own account, the engine, an admin. null: the global default applies. The key must be
 * present, so that a typo does not remove the threshold.
 */
@RestController
@RequestMapping("/api/v1/accounts")
class AlertsController {
    static final long MAX_THRESHOLD = 1_000_000_000_000L;

    private final LowBalanceAlerts alerts;

    AlertsController(LowBalanceAlerts alerts) {
        this.alerts = alerts;
    }

    @GetMapping("/{accountId}/alerts")
    LowBalanceAlerts.AlertView get(@PathVariable String accountId) {
        return alerts.view(AccountController.checkedId(Caller.current().requireAccountAccess(accountId)));
    }

    @PutMapping("/{accountId}/alerts")
    LowBalanceAlerts.AlertView put(@PathVariable String accountId, @RequestBody Map<String, Object> body) {
        String id = AccountController.checkedId(Caller.current().requireAccountAccess(accountId));
        if (body == null || body.size() != 1 || !body.containsKey("lowBalanceMillicredits")) {
            throw ApiException.badRequest("Body must be {\"lowBalanceMillicredits\": <millicredits or null>}.");
        }
        Object value = body.get("lowBalanceMillicredits");
        Long threshold;
        if (value == null) {
            threshold = null;
        } else if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() >= 0
                && ((Number) value).longValue() <= MAX_THRESHOLD) {
            threshold = ((Number) value).longValue();
        } else {
            throw ApiException.badRequest("lowBalanceMillicredits must be a whole number of millicredits from 0 to "
                    + MAX_THRESHOLD + ", or null.");
        }
        return alerts.set(id, threshold);
    }
}
