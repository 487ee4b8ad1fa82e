package com.imagina.credits.support;

import com.imagina.credits.CreditsApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A service instance started by hand, for test engines that do not use Spring's test context
 * (jqwik properties). Same database and schema conventions as {@link ApiTest}; on the embedded
 * PostgreSQL it keeps a data directory of its own.
 */
public final class StandaloneApp {
    private static ConfigurableApplicationContext context;

    private StandaloneApp() {}

    public static synchronized Api api() {
        if (context == null) {
            context = new SpringApplicationBuilder(CreditsApplication.class).profiles("test")
                    .run("--server.port=0",
                            "--credits.db.schema=" + ApiTest.SCHEMA,
                            "--credits.jwt.secret=" + ApiTest.SECRET,
                            "--credits.db.embedded-data-dir=target/embedded-pg-standalone",
                            "--spring.jmx.enabled=false");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> context.close()));
        }
        return new Api("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"),
                ApiTest.SECRET);
    }
}
