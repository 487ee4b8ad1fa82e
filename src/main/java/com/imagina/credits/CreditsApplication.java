package com.imagina.credits;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Imagina Credits: meters, charges and pays out the in-app currency. See README.md. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class CreditsApplication {
    public static void main(String[] args) {
        SpringApplication.run(CreditsApplication.class, args);
    }
}
