package com.imagina.credits.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** Builds the RFC 9457 bodies every error of the service uses: status, title, detail and code. */
public final class ProblemResponses {
    static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

    private ProblemResponses() {}

    static ProblemDetail problem(HttpStatusCode status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        HttpStatus known = HttpStatus.resolve(status.value());
        problem.setTitle(known != null ? known.getReasonPhrase() : "Error");
        problem.setProperty("code", code);
        return problem;
    }

    /** The {@code code} for a status when nothing more specific is known (container-level errors). */
    static String codeFor(int status) {
        return switch (status) {
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 408 -> "request_timeout";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 431 -> "headers_too_large";
            case 503 -> "service_unavailable";
            default -> status >= 500 ? "internal_error" : "invalid_request";
        };
    }

    static ResponseEntity<ProblemDetail> entity(ApiException e) {
        ProblemDetail problem = problem(e.status(), e.code(), e.getMessage());
        e.properties().forEach(problem::setProperty);
        return ResponseEntity.status(e.status()).contentType(PROBLEM_JSON).body(problem);
    }

    /** For filters (security) that answer before Spring MVC runs. */
    public static void write(HttpServletResponse response, ObjectMapper json, HttpStatus status, String code, String detail)
            throws IOException {
        response.setStatus(status.value());
        response.setContentType(PROBLEM_JSON.toString());
        ProblemDetail problem = problem(status, code, detail);
        json.writeValue(response.getOutputStream(), Map.of(
                "type", problem.getType().toString(),
                "title", problem.getTitle(),
                "status", problem.getStatus(),
                "detail", problem.getDetail(),
                "code", code));
    }
}
