package com.imagina.credits.system;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;

/**
 * A failure the client can act on: becomes an RFC 9457 problem with a machine-readable {@code code}.
 * Thrown before anything is written, or inside a transaction that is then rolled back, so a failed
 * request never changes state.
 */
public class ApiException extends RuntimeException {
    private final HttpStatus status;
    private final String code;
    private final Map<String, Object> properties = new LinkedHashMap<>();

    /** The problem's own members: a property of the same name would write the key twice. */
    private static final Set<String> RESERVED = Set.of("type", "title", "status", "detail", "instance", "code");

    public ApiException(HttpStatus status, String code, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid_request", detail);
    }

    public static ApiException notFound(String code, String detail) {
        return new ApiException(HttpStatus.NOT_FOUND, code, detail);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, "forbidden", detail);
    }

    public static ApiException conflict(String code, String detail) {
        return new ApiException(HttpStatus.CONFLICT, code, detail);
    }

    public ApiException with(String name, Object value) {
        if (RESERVED.contains(name)) {
            throw new IllegalStateException("'" + name + "' is a member of every problem; name the property otherwise");
        }
        properties.put(name, value);
        return this;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    Map<String, Object> properties() {
        return properties;
    }
}
