package com.imagina.credits.events;

import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.ServiceClock;
import com.imagina.credits.system.security.Caller;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/admin/webhook-endpoints}: register (the secret is answered only here), list, remove; and
 * each endpoint's delivery log with resend.
 */
@RestController
@RequestMapping("/api/v1/admin/webhook-endpoints")
class WebhookEndpointController {
    static final int MAX_ENDPOINTS = 100;

    private final WebhookEndpoints endpoints;
    private final Deliveries deliveries;
    private final ServiceClock clock;

    WebhookEndpointController(WebhookEndpoints endpoints, Deliveries deliveries, ServiceClock clock) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.clock = clock;
    }

    record Created(String id, String url, List<String> eventTypes, String secret, Instant createdAt) {}

    record Listed(String id, String url, List<String> eventTypes, Instant createdAt) {}

    record EndpointList(List<Listed> items) {}

    @PostMapping
    ResponseEntity<Created> create(@RequestBody Map<String, Object> body) {
        Caller.current().requireAdmin();
        if (body == null || !body.keySet().stream().allMatch(k -> k.equals("url") || k.equals("eventTypes"))) {
            throw ApiException.badRequest("Body must be {\"url\": ..., \"eventTypes\": [...]}.");
        }
        String url = body.get("url") instanceof String s ? s : null;
        String invalid = WebhookEndpoints.invalidUrl(url);
        if (invalid != null) {
            throw ApiException.badRequest(invalid);
        }
        List<String> types = eventTypes(body.get("eventTypes"));
        if (endpoints.list().size() >= MAX_ENDPOINTS) {
            throw new ApiException(HttpStatus.CONFLICT, "too_many_endpoints",
                    "At most " + MAX_ENDPOINTS + " webhook endpoints; remove one first.");
        }
        WebhookEndpoints.Endpoint e = endpoints.create(url, types, clock.now());
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new Created(e.id(), e.url(), e.eventTypes(), e.secret(), e.createdAt()));
    }

    /** A non-empty list of known event types, each once, in the order given. */
    private static List<String> eventTypes(Object value) {
        if (!(value instanceof List<?> list) || list.isEmpty() || list.size() > EventType.values().length) {
            throw ApiException.badRequest("eventTypes must be a non-empty array of event types.");
        }
        LinkedHashSet<String> types = new LinkedHashSet<>();
        for (Object o : list) {
            if (!(o instanceof String s) || EventType.fromWire(s).isEmpty()) {
                throw ApiException.badRequest("Unknown event type " + o + "; known: "
                        + java.util.Arrays.stream(EventType.values()).map(EventType::wireName).toList() + ".");
            }
            types.add(s);
        }
        return new ArrayList<>(types);
    }

    @GetMapping
    EndpointList list() {
        Caller.current().requireAdmin();
        return new EndpointList(endpoints.list().stream()
                .map(e -> new Listed(e.id(), e.url(), e.eventTypes(), e.createdAt())).toList());
    }

    @DeleteMapping("/{endpointId}")
    ResponseEntity<Void> delete(@PathVariable String endpointId) {
        Caller.current().requireAdmin();
        if (!endpoints.delete(endpointId, clock.now())) {
            throw unknown(endpointId);
        }
        return ResponseEntity.noContent().build();
    }

    record DeliveryPage(List<Deliveries.DeliveryView> items, String nextCursor) {}

    @GetMapping("/{endpointId}/deliveries")
    DeliveryPage deliveries(@PathVariable String endpointId, @RequestParam(defaultValue = "50") int limit,
            @RequestParam(required = false) Long cursor) {
        Caller.current().requireAdmin();
        if (limit < 1 || limit > 200) {
            throw ApiException.badRequest("limit must be 1..200.");
        }
        endpoints.find(endpointId).orElseThrow(() -> unknown(endpointId));
        List<Deliveries.DeliveryView> items = deliveries.log(endpointId, cursor, limit);
        String next = items.size() == limit ? String.valueOf(items.get(items.size() - 1).id()) : null;
        return new DeliveryPage(items, next);
    }

    @PostMapping("/{endpointId}/deliveries/{deliveryId}/resend")
    Deliveries.DeliveryView resend(@PathVariable String endpointId, @PathVariable long deliveryId) {
        Caller.current().requireAdmin();
        return deliveries.resend(endpointId, deliveryId).orElseThrow(() -> ApiException.notFound("unknown_delivery",
                "No delivery " + deliveryId + " of webhook endpoint '" + endpointId + "'."));
    }

    private static ApiException unknown(String endpointId) {
        return ApiException.notFound("unknown_webhook_endpoint", "No webhook endpoint '" + endpointId + "'.");
    }
}
