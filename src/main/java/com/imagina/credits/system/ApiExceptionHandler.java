package com.imagina.credits.system;

import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.imagina.credits.system.db.DatabaseUnavailable;
import com.imagina.credits.system.http.HttpLimits;
import jakarta.validation.ConstraintViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.lang.Nullable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Maps every failure to problem+json with a {@code code}. Client mistakes are 400
 * {@code invalid_request}; anything unexpected is a 500 whose body never carries a stack trace.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    private final HttpLimits limits;

    ApiExceptionHandler(HttpLimits limits) {
        this.limits = limits;
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e) {
        return ProblemResponses.entity(e);
    }

    @ExceptionHandler({ConstraintViolationException.class, IllegalArgumentException.class})
    ResponseEntity<ProblemDetail> badArgument(Exception e) {
        return ProblemResponses.entity(ApiException.badRequest(safeMessage(e)));
    }

    /** Names the parameter, never the Java types it failed to convert between. */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> badParameter(MethodArgumentTypeMismatchException e) {
        return ProblemResponses.entity(ApiException.badRequest("Invalid value for parameter '" + e.getName() + "'."));
    }

    /**
     * The security firewall also checks lazily, when a form body's parameters are first read (inside
     * MVC, e.g. a settle posted as {@code application/x-www-form-urlencoded}): a client error, not a 500.
     */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(RequestRejectedException e) {
        return ProblemResponses.entity(ApiException.badRequest("The request was rejected as malformed."));
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> denied(AccessDeniedException e) {
        return ProblemResponses.entity(ApiException.forbidden("This token may not do that."));
    }

    /**
     * The database could not answer in bounded time (pool wait, lock wait, statement timeout, server gone)
     * or a serialization failure / deadlock: 503 with {@code Retry-After}. The transaction was rolled back,
     * so the client may send the same request again. Anything else reaching here is a bug: 500.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (numericOutOfRange(e)) {
            // A sum the database refused to overflow (SQLSTATE 22003, e.g. a balance past bigint): the
            // statement failed whole, so nothing changed. Prices and counts are bounded so that a turn
            // never gets here; a run of huge adjustments might.
            return ProblemResponses.entity(ApiException.conflict("amount_out_of_range",
                    "An amount would leave the range the ledger can hold; nothing was changed."));
        }
        DatabaseUnavailable.Kind kind = DatabaseUnavailable.classify(e);
        if (kind == DatabaseUnavailable.Kind.UNAVAILABLE) {
            log.warn("Database unavailable: {}", e.getMessage());
            return unavailable("service_unavailable", "The database did not answer in time; nothing was changed. "
                    + "Retry the same request.");
        }
        if (kind == DatabaseUnavailable.Kind.CONFLICT) {
            log.warn("Transient database failure: {}", e.getMessage());
            return unavailable("try_again", "A temporary conflict occurred; retry the same request.");
        }
        log.error("Unexpected failure", e);
        return ProblemResponses.entity(new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
                "An unexpected error occurred; nothing was changed."));
    }

    private static boolean numericOutOfRange(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException sql && "22003".equals(sql.getSQLState())) {
                return true;
            }
            if (t instanceof ArithmeticException a && String.valueOf(a.getMessage()).toLowerCase().contains("overflow")) {
                return true;
            }
        }
        return false;
    }

    private ResponseEntity<ProblemDetail> unavailable(String code, String detail) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(limits.retryAfterSeconds()))
                .contentType(ProblemResponses.PROBLEM_JSON)
                .body(ProblemResponses.problem(HttpStatus.SERVICE_UNAVAILABLE, code, detail));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = "The request body is not valid JSON of the expected shape.";
        Throwable cause = ex.getCause();
        if (cause instanceof InvalidFormatException ife && !ife.getPath().isEmpty()) {
            detail = "Invalid value for field '" + path(ife) + "'.";
        } else if (cause instanceof MismatchedInputException mie && !mie.getPath().isEmpty()) {
            detail = "Wrong type for field '" + path(mie) + "'.";
        }
        return body(HttpStatus.BAD_REQUEST, "invalid_request", detail);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        StringBuilder detail = new StringBuilder("Invalid request:");
        ex.getBindingResult().getFieldErrors().forEach(f ->
                detail.append(' ').append(f.getField()).append(' ').append(f.getDefaultMessage()).append(';'));
        return body(HttpStatus.BAD_REQUEST, "invalid_request", detail.toString());
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return body(HttpStatus.BAD_REQUEST, "invalid_request", "Invalid request parameters.");
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (request instanceof ServletWebRequest servlet && NotFoundPage.wanted(servlet.getRequest())) {
            return NotFoundPage.response();
        }
        return body(HttpStatus.NOT_FOUND, "not_found", "No such resource.");
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        // Every other MVC failure (405, 406, 415, missing parameter...): keep its status, add our code.
        String code = statusCode.is4xxClientError() ? "invalid_request" : "internal_error";
        if (statusCode.value() == 404) code = "not_found";
        if (statusCode.value() == 405) code = "method_not_allowed";
        if (statusCode.value() == 415) code = "unsupported_media_type";
        if (statusCode.value() == 406) code = "not_acceptable";
        ProblemDetail problem = ProblemResponses.problem(statusCode, code,
                statusCode.is4xxClientError() ? safeMessage(ex) : "An unexpected error occurred.");
        HttpHeaders out = new HttpHeaders();
        out.addAll(headers);
        out.setContentType(ProblemResponses.PROBLEM_JSON);
        return new ResponseEntity<>(problem, out, statusCode);
    }

    private ResponseEntity<Object> body(HttpStatus status, String code, String detail) {
        return ResponseEntity.status(status).contentType(ProblemResponses.PROBLEM_JSON)
                .body(ProblemResponses.problem(status, code, detail));
    }

    private static String path(MismatchedInputException e) {
        StringBuilder sb = new StringBuilder();
        e.getPath().forEach(ref -> {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) sb.append('.');
                sb.append(ref.getFieldName());
            } else {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        });
        return sb.toString();
    }

    private static String safeMessage(Exception e) {
        String m = e.getMessage();
        if (m == null || m.length() > 300 || m.contains("Exception") || m.contains("\tat ")) {
            return "Invalid request.";
        }
        return m;
    }
}
