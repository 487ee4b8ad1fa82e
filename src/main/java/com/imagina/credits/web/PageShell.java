package com.imagina.credits.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.web.util.HtmlUtils;

/** A page: a data-free HTML shell from {@code resources/web/} with its title and its ES module filled in. */
final class PageShell {
    private PageShell() {}

    static byte[] render(String template, String title, String script) {
        return read(template).replace("{{title}}", HtmlUtils.htmlEscape(title))
                .replace("{{script}}", script)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String read(String resource) {
        try (InputStream in = PageShell.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing page template " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
