package com.imagina.credits.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Spring Boot's {@code /error} (a JSON of its own shape) for errors sent with
 * {@code sendError} outside Spring MVC's exception handling — filters, the servlet container: the
 * answer is problem+json with a {@code code} like every other error, whatever the client accepts.
 */
@RestController
class ProblemErrorController implements ErrorController {
    private final ObjectMapper json;

    ProblemErrorController(ObjectMapper json) {
        this.json = json;
    }

    @RequestMapping("${server.error.path:${error.path:/error}}")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        HttpStatus known = HttpStatus.resolve(status);
        HttpStatus resolved = known != null ? known : status >= 500 ? HttpStatus.INTERNAL_SERVER_ERROR : HttpStatus.BAD_REQUEST;
        String detail = resolved.is5xxServerError() ? "An unexpected error occurred." : "The request was not accepted.";
        response.resetBuffer();
        ProblemResponses.write(response, json, resolved, ProblemResponses.codeFor(resolved.value()), detail);
    }
}
