package com.imagina.credits.pricing;

import com.imagina.credits.system.ServiceClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Seeds the real model catalog on first start (an empty models table). Later starts leave it alone:
 * admins own the prices from then on. An advisory lock keeps two instances starting together from
 * seeding at once.
 */
@Component
class CatalogSeeder implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(CatalogSeeder.class);
    private static final long LOCK_KEY = 0x53454544L; // "SEED"

    private final ModelCatalog catalog;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final ServiceClock clock;

    CatalogSeeder(ModelCatalog catalog, JdbcClient jdbc, TransactionTemplate tx, ServiceClock clock) {
        this.catalog = catalog;
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        tx.executeWithoutResult(status -> {
            jdbc.sql("select pg_advisory_xact_lock(:k) is not null").param("k", LOCK_KEY).query(Boolean.class).single();
            if (!catalog.isEmpty()) {
                return;
            }
            for (ModelSeed seed : SeedCatalog.models()) {
                catalog.upsert(new Model(seed.id(), seed.name(), seed.provider(), seed.tier(), seed.creditsOnly(),
                        seed.isDefault(), seed.prices(), seed.cacheTtlSeconds(), 0),
                        catalog.writePrior(new PriorProfile(seed.firstTurn(), seed.followUp())), clock.now());
            }
            log.info("Seeded the model catalog with {} models", SeedCatalog.models().size());
        });
    }
}
