package com.imagina.credits.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.imagina.credits.CreditsApplication;
import com.imagina.credits.support.ApiTest;
import com.imagina.credits.system.security.JwtSecret;
import com.imagina.credits.system.security.MissingJwtSecretFailureAnalyzer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Outside the dev profile the service refuses to start without CREDITS_JWT_SECRET, in one sentence. */
class StartupRefusalTest {

    @Test
    void noSecretNoStartOutsideDev() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(CreditsApplication.class)
                .run("--server.port=0", "--credits.jwt.secret=", "--credits.db.schema=" + ApiTest.SCHEMA,
                        "--credits.db.embedded-data-dir=target/embedded-pg-startup", "--spring.jmx.enabled=false"))
                .hasRootCauseInstanceOf(JwtSecret.MissingJwtSecretException.class)
                .rootCause()
                .satisfies(cause -> {
                    FailureAnalysis analysis = new MissingJwtSecretFailureAnalyzer().analyze(cause);
                    assertThat(analysis.getDescription()).contains("CREDITS_JWT_SECRET").doesNotContain("\n");
                    assertThat(analysis.getAction()).contains("CREDITS_JWT_SECRET");
                });
    }
}
