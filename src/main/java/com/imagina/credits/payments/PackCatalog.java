package com.imagina.credits.payments;

import com.imagina.credits.system.CreditsProperties;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The packs on sale, from {@code credits.packs}. A pack priced in USD grants its price at
 * {@code credits.pricing.credits-per-usd} (default 1000: $5 buys 5,000 credits = 5,000,000
 * millicredits) unless it names {@code grant-millicredits}; a pack in another currency must name it.
 * The bonus is {@code bonus-percent} of the grant, rounded half-up to the millicredit. A bad catalog
 * stops the service at start-up rather than selling the wrong thing.
 */
@Component
class PackCatalog {
    /** One {@code credits.packs[n]} entry as configured. */
    record PackSetting(String id, String name, Long priceCents, String currency, BigDecimal bonusPercent,
            Long grantMillicredits) {}

    static final List<PackSetting> DEFAULTS = List.of(
            new PackSetting("pack-small", "Small", 500L, "usd", BigDecimal.ZERO, null),
            new PackSetting("pack-medium", "Medium", 1_000L, "usd", new BigDecimal("5"), null),
            new PackSetting("pack-large", "Large", 2_500L, "usd", new BigDecimal("10"), null),
            new PackSetting("pack-huge", "Huge", 5_000L, "usd", new BigDecimal("20"), null));

    private final List<Pack> packs;

    PackCatalog(Environment environment, CreditsProperties properties) {
        List<PackSetting> settings = Binder.get(environment)
                .bind("credits.packs", Bindable.listOf(PackSetting.class)).orElse(DEFAULTS);
        this.packs = build(settings, properties.pricing().creditsPerUsd());
    }

    List<Pack> all() {
        return packs;
    }

    Optional<Pack> find(String packId) {
        return packs.stream().filter(p -> p.id().equals(packId)).findFirst();
    }

    static List<Pack> build(List<PackSetting> settings, BigDecimal creditsPerUsd) {
        if (settings.isEmpty()) {
            throw new IllegalStateException("credits.packs is empty: configure at least one credit pack.");
        }
        Set<String> ids = new HashSet<>();
        List<Pack> packs = new ArrayList<>();
        for (PackSetting s : settings) {
            String where = "credits.packs entry '" + s.id() + "'";
            if (s.id() == null || s.id().isBlank() || !ids.add(s.id())) {
                throw new IllegalStateException(where + ": every pack needs a unique id.");
            }
            if (s.priceCents() == null || s.priceCents() <= 0) {
                throw new IllegalStateException(where + ": price-cents must be positive.");
            }
            String currency = s.currency() == null ? "usd" : s.currency().toLowerCase(Locale.ROOT);
            if (!currency.matches("[a-z]{3}")) {
                throw new IllegalStateException(where + ": currency must be a three-letter ISO code.");
            }
            long grant;
            if (s.grantMillicredits() != null) {
                grant = s.grantMillicredits();
            } else if (currency.equals("usd")) {
                grant = grantForUsdCents(s.priceCents(), creditsPerUsd);
            } else {
                throw new IllegalStateException(where + ": a pack not priced in usd must set grant-millicredits.");
            }
            BigDecimal bonusPercent = s.bonusPercent() == null ? BigDecimal.ZERO : s.bonusPercent();
            if (grant <= 0 || bonusPercent.signum() < 0) {
                throw new IllegalStateException(where + ": the grant must be positive and the bonus not negative.");
            }
            long bonus = BigDecimal.valueOf(grant).multiply(bonusPercent)
                    .divide(BigDecimal.valueOf(100), 0, RoundingMode.HALF_UP).longValueExact();
            String name = s.name() == null || s.name().isBlank() ? s.id() : s.name();
            packs.add(new Pack(s.id(), name, s.priceCents(), currency, grant, bonus));
        }
        return List.copyOf(packs);
    }

    /** cents / 100 dollars × credits per dollar × 1,000 millicredits per credit, half-up. */
    static long grantForUsdCents(long priceCents, BigDecimal creditsPerUsd) {
        return BigDecimal.valueOf(priceCents).multiply(creditsPerUsd).multiply(BigDecimal.TEN)
                .setScale(0, RoundingMode.HALF_UP).longValueExact();
    }
}
