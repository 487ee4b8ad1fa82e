package com.imagina.credits.events;

import com.imagina.credits.system.ServiceClock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * {@code spend_limit.reached}: an authorization was refused because it would pass the player's daily cap
 * (the 402 {@code spend_limit_reached}). Published once per account, UTC day and cap value — the first
 * refusal tells the game; the next ones of that day would say nothing new, and a raised cap reached again
 * is news. A refusal moves no money, so this is the one event with no money move to join: it is its own
 * statement, deduplicated by key.
 */
@Component
public class SpendLimitEvents {
    public static final String CODE = "spend_limit_reached";

    private static final Logger log = LoggerFactory.getLogger(SpendLimitEvents.class);
    private final Outbox outbox;

    SpendLimitEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public void reached(String accountId, Map<String, Object> refusal, Instant now) {
        LocalDate day = ServiceClock.utcDay(now);
        Object limit = refusal.get("limitMillicredits");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("day", day.toString());
        data.put("limitMillicredits", limit);
        data.put("spentTodayMillicredits", refusal.get("spentTodayMillicredits"));
        data.put("heldMillicredits", refusal.get("heldMillicredits"));
        data.put("requiredMillicredits", refusal.get("requiredMillicredits"));
        data.put("resetsAt", ServiceClock.nextMidnight(now).toString());
        try {
            outbox.publishOnce("spend_limit.reached:" + accountId + ":" + day + ":" + limit, accountId,
                    EventType.SPEND_LIMIT_REACHED, data, now);
        } catch (DataAccessException e) {
            // The refusal stands either way; nothing was written, so the next refusal publishes it.
            log.warn("spend_limit.reached for {} not published: {}", accountId, e.getMessage());
        }
    }
}
