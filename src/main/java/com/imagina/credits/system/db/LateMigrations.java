package com.imagina.credits.system.db;

import java.util.Arrays;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Migration versions are reserved per branch (V45 may land after V90), so a database that already has a
 * later version must still get the earlier one. Flyway's out-of-order mode does that, but warns on every
 * start that it is on; so it is turned on only for a migrate that has such a late migration to apply
 * (Flyway reports it as {@link MigrationState#IGNORED}), and that start says which ones. A fresh database
 * and an up-to-date one migrate in order, quietly.
 */
@Configuration(proxyBeanMethods = false)
class LateMigrations {
    private static final Logger log = LoggerFactory.getLogger(LateMigrations.class);

    @Bean
    FlywayMigrationStrategy lateMigrationsOutOfOrder() {
        return flyway -> {
            MigrationInfo[] late = Arrays.stream(flyway.info().all())
                    .filter(m -> m.getState() == MigrationState.IGNORED)
                    .toArray(MigrationInfo[]::new);
            if (late.length == 0) {
                flyway.migrate();
                return;
            }
            log.info("Applying {} migration(s) older than the database's latest, out of order: {}", late.length,
                    Arrays.stream(late).map(m -> "V" + m.getVersion()).toList());
            Flyway.configure(flyway.getConfiguration().getClassLoader())
                    .configuration(flyway.getConfiguration())
                    .outOfOrder(true)
                    .load()
                    .migrate();
        };
    }
}
