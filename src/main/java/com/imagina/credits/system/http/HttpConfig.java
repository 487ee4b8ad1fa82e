package com.imagina.credits.system.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The body limit runs before every other filter, Spring Security's included; the input checks after security. */
@Configuration(proxyBeanMethods = false)
class HttpConfig {
    @Bean
    FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(HttpLimits limits, ObjectMapper json) {
        FilterRegistrationBean<BodyLimitFilter> registration = new FilterRegistrationBean<>(new BodyLimitFilter(limits, json));
        // After the observation filter (HIGHEST_PRECEDENCE + 1), so refusals are still timed; before security (-100).
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        registration.addUrlPatterns("/*");
        return registration;
    }

    @Bean
    FilterRegistrationBean<InputChecksFilter> inputChecksFilter(ObjectMapper json) {
        FilterRegistrationBean<InputChecksFilter> registration = new FilterRegistrationBean<>(new InputChecksFilter(json));
        // After Spring Security's chain (-100): roles are checked before input rules are told.
        registration.setOrder(0);
        registration.addUrlPatterns("/*");
        return registration;
    }
}
