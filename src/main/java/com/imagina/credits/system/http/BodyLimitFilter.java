package com.imagina.credits.system.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.imagina.credits.system.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every request body is read here, first, before security, validation or any database work: at most
 * {@link HttpLimits#limitFor the limit} bytes, within {@link HttpLimits#bodyTimeout()}. A declared
 * {@code Content-Length} over the limit is refused before a byte of the body is read; a chunked body is
 * refused as soon as it passes the limit; either way 413 {@code payload_too_large} and the connection is
 * closed (so Tomcat does not swallow the rest). A body that dribbles in slower than the deadline gets 408
 * {@code request_timeout} and a closed connection. The rest of the service sees the body from memory.
 *
 * <p>This bounds what one slow or huge client can hold: one request thread for at most the body timeout
 * plus one socket read ({@code server.tomcat.connection-timeout}), and never a database connection
 * (none is taken before the body is complete). With request threads well above the pool size, a hundred
 * such clients leave the others answered.
 */
class BodyLimitFilter extends OncePerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger(BodyLimitFilter.class);

    private final HttpLimits limits;
    private final ObjectMapper json;

    BodyLimitFilter(HttpLimits limits, ObjectMapper json) {
        this.limits = limits;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        boolean chunked = request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
        if (declared <= 0 && !chunked) {
            chain.doFilter(request, response);
            return;
        }
        long limit = limits.limitFor(request.getRequestURI());
        if (declared > limit) {
            tooLarge(response, limit);
            return;
        }
        byte[] body;
        try {
            body = read(request.getInputStream(), limit, System.nanoTime() + limits.bodyTimeout().toNanos(),
                    declared > 0 ? (int) declared : 8192);
        } catch (TooLarge e) {
            tooLarge(response, limit);
            return;
        } catch (IOException e) {
            // A read that waited past Tomcat's read timeout, the deadline, or a client that went away.
            log.debug("Request body not received in time from {}: {}", request.getRemoteAddr(), e.toString());
            refuse(response, HttpStatus.REQUEST_TIMEOUT, "request_timeout",
                    "The request body did not arrive within " + limits.bodyTimeout().toSeconds() + " s.");
            return;
        }
        chain.doFilter(new CachedBodyRequest(request, body), response);
    }

    private static byte[] read(InputStream in, long limit, long deadline, int expected) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(expected, 64 * 1024));
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            out.write(buffer, 0, n);
            if (out.size() > limit) throw new TooLarge();
            if (System.nanoTime() - deadline > 0) throw new IOException("body deadline passed");
        }
        return out.toByteArray();
    }

    private void tooLarge(HttpServletResponse response, long limit) throws IOException {
        refuse(response, HttpStatus.PAYLOAD_TOO_LARGE, "payload_too_large",
                "The request body is larger than " + limit + " bytes.");
    }

    private void refuse(HttpServletResponse response, HttpStatus status, String code, String detail) throws IOException {
        if (response.isCommitted()) return;
        response.reset();
        // The unread rest of the body is not worth reading: Tomcat closes the connection after this answer.
        response.setHeader(HttpHeaders.CONNECTION, "close");
        ProblemResponses.write(response, json, status, code, detail);
    }

    private static final class TooLarge extends IOException {
        TooLarge() {
            super("body over the limit", null);
        }
    }

    /** The request with its body already in memory. */
    static final class CachedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;
        private Map<String, String[]> parameters;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already in memory");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = StandardCharsets.UTF_8;
            if (encoding != null) {
                try {
                    charset = Charset.forName(encoding);
                } catch (RuntimeException e) {
                    // an unknown charset name: read as UTF-8, the only charset our JSON bodies use
                }
            }
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
        }

        /**
         * A form body's parameters come from the bytes read here (the container can no longer read them
         * itself), after those of the query string, as the Servlet specification orders them.
         */
        @Override
        public Map<String, String[]> getParameterMap() {
            if (parameters == null) {
                Map<String, List<String>> merged = new LinkedHashMap<>();
                super.getParameterMap().forEach((k, v) -> merged.computeIfAbsent(k, x -> new ArrayList<>()).addAll(List.of(v)));
                String type = getContentType();
                if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
                    for (String pair : new String(body, StandardCharsets.ISO_8859_1).split("&")) {
                        if (pair.isEmpty()) continue;
                        int eq = pair.indexOf('=');
                        try {
                            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                            merged.computeIfAbsent(name, x -> new ArrayList<>()).add(value);
                        } catch (IllegalArgumentException e) {
                            // a malformed pair is skipped, as the container does
                        }
                    }
                }
                Map<String, String[]> out = new LinkedHashMap<>();
                merged.forEach((k, v) -> out.put(k, v.toArray(String[]::new)));
                parameters = Collections.unmodifiableMap(out);
            }
            return parameters;
        }

        @Override
        public String getParameter(String name) {
            String[] values = getParameterMap().get(name);
            return values == null || values.length == 0 ? null : values[0];
        }

        @Override
        public String[] getParameterValues(String name) {
            String[] values = getParameterMap().get(name);
            return values == null ? null : values.clone();
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(getParameterMap().keySet());
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
