package com.imagina.credits.support;

import com.imagina.credits.CreditsApplication;
import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Another instance of the service on the same database and schema as the test's own: what several
 * instances behind a load balancer look like. It uses the first instance's JDBC URL, so it works on
 * the embedded PostgreSQL as well (it must not start a second server on the same data directory).
 */
public final class OtherInstance implements AutoCloseable {
    private final ConfigurableApplicationContext context;

    private OtherInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    private static OtherInstance shared;

    /**
     * One second instance for the whole test run (starting one costs seconds): tests that need it share
     * it, and it stops when the JVM does. Never close the shared instance in a test.
     */
    public static synchronized OtherInstance shared(ApplicationContext first) {
        if (shared == null) {
            shared = start(first);
            Runtime.getRuntime().addShutdownHook(new Thread(shared.context::close));
        }
        return shared;
    }

    public static OtherInstance start(ApplicationContext first, String... extraArgs) {
        HikariDataSource ds = first.getBean(HikariDataSource.class);
        List<String> args = new ArrayList<>(List.of("--server.port=0",
                "--credits.db.url=" + ds.getJdbcUrl(),
                "--credits.db.user=" + ds.getUsername(),
                "--credits.db.schema=" + ApiTest.SCHEMA,
                "--credits.jwt.secret=" + ApiTest.SECRET,
                "--spring.jmx.enabled=false"));
        args.addAll(List.of(extraArgs));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(CreditsApplication.class)
                .profiles("test")
                // Command-line arguments: they outrank application.yml's environment placeholders.
                .run(args.toArray(String[]::new));
        return new OtherInstance(context);
    }

    public Api api() {
        String port = context.getEnvironment().getProperty("local.server.port");
        return new Api("http://127.0.0.1:" + port, ApiTest.SECRET);
    }

    public ApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }
}
