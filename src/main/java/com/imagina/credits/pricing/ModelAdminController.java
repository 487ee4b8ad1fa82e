package com.imagina.credits.pricing;

import com.imagina.credits.system.ServiceClock;
import com.imagina.credits.system.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code PUT /api/v1/admin/models/{modelId}}: create or reprice a model; settled turns keep their cost. */
@RestController
class ModelAdminController {
    private final ModelCatalog catalog;
    private final ServiceClock clock;

    ModelAdminController(ModelCatalog catalog, ServiceClock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    record PutModel(@NotBlank @Size(max = 200) String name, @NotBlank @Size(max = 100) String provider,
            @NotBlank @Size(max = 100) String tier, @NotNull Boolean creditsOnly, @NotNull Boolean isDefault,
            @NotNull Prices prices, @NotNull @PositiveOrZero @Max(86_400) Integer cacheTtlSeconds,
            PriorProfile priorProfile) {}

    @PutMapping("/api/v1/admin/models/{modelId}")
    Model put(@PathVariable @Size(max = 200) String modelId, @Valid @RequestBody PutModel body) {
        Caller.current().requireAdmin();
        PricesValidator.validate(body.prices());
        Model model = new Model(modelId, body.name(), body.provider(), body.tier(), body.creditsOnly(),
                body.isDefault(), body.prices(), body.cacheTtlSeconds(), 0);
        String prior = body.priorProfile() == null ? null : catalog.writePrior(body.priorProfile());
        return catalog.upsert(model, prior, clock.now());
    }
}
