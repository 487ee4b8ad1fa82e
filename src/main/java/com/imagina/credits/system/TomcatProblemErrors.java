package com.imagina.credits.system;

import java.io.IOException;
import java.io.PrintWriter;
import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;

/**
 * Errors Tomcat answers itself, before any servlet runs — a path with {@code %5C} or {@code %00},
 * request headers past the size limit: Tomcat's error report valve writes an HTML page for them. This
 * one writes problem+json with a {@code code} instead, so that no answer of the service is HTML.
 */
@Configuration(proxyBeanMethods = false)
class TomcatProblemErrors {

    /** Runs after Spring Boot's own customizer, which installs the stock valve; replaces it. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemJsonErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            Host host = (Host) context.getParent();
            for (Valve valve : host.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve) host.getPipeline().removeValve(valve);
            }
            host.getPipeline().addValve(new ProblemErrorReportValve());
            if (host instanceof StandardHost standard) {
                standard.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        });
    }

    /** Tomcat's error report, as problem+json; never a stack trace nor the server's version. */
    public static class ProblemErrorReportValve extends ErrorReportValve {
        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            HttpStatus known = HttpStatus.resolve(status);
            String title = known != null ? known.getReasonPhrase() : "Error";
            String detail = status >= 500 ? "An unexpected error occurred." : "The request was not accepted.";
            String body = "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                    + ",\"detail\":\"" + detail + "\",\"code\":\"" + ProblemResponses.codeFor(status) + "\"}";
            try {
                response.setContentType(ProblemResponses.PROBLEM_JSON.toString());
                response.setCharacterEncoding("utf-8");
                PrintWriter writer = response.getReporter();
                if (writer != null) {
                    writer.write(body);
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // The client is gone or the response is already closed: nothing more to tell it.
            }
        }
    }
}
