package com.imagina.credits.system;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The contract as OpenAPI at /v3/api-docs, browsable at /swagger-ui.html, with bearer-JWT auth. */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(
        info = @Info(title = "Imagina Credits API", version = "v1",
                description = "Meters, charges and pays out Imagina's in-app credits. Money is integer millicredits; "
                        + "errors are RFC 9457 problem+json with a code."),
        security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
class OpenApiConfig {
    private static final Logger log = LoggerFactory.getLogger(OpenApiConfig.class);

    /**
     * Takes the place of SpringDoc's own start-up notice, a WARN on every start that the docs are served
     * (they are, on purpose: the contract names both paths). Said once, as information.
     */
    @Bean
    ApplicationListener<ApplicationReadyEvent> springDocAppInitializer() {
        return event -> log.info("API docs at /v3/api-docs, Swagger UI at /swagger-ui.html");
    }

    /** Swagger UI's copy of the same notice: nothing more to say. */
    @Bean
    Object springDocSwaggerInitializer() {
        return new Object();
    }
}
