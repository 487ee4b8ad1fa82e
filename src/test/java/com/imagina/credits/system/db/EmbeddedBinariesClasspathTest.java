package com.imagina.credits.system.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * The default build (Linux, no -Pembedded-pg-all) carries only linux-amd64's PostgreSQL binaries: the
 * others were 63 MB of a production jar that never runs them.
 */
class EmbeddedBinariesClasspathTest {

    @Test
    void theDefaultLinuxBuildCarriesOnlyLinuxAmd64Binaries() {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "the default build on Linux");
        ClassLoader loader = getClass().getClassLoader();
        assertThat(loader.getResource("postgres-linux-x86_64.txz")).isNotNull();
        assertThat(loader.getResource("postgres-darwin-x86_64.txz")).isNull();
        assertThat(loader.getResource("postgres-windows-x86_64.txz")).isNull();
        assertThat(loader.getResource("postgres-linux-x86_64-alpine_linux.txz")).isNull();
    }
}
