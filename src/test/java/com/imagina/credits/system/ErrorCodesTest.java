package com.imagina.credits.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@link ErrorCodes} is the one list of codes: in the README's order, and naming every code thrown. */
class ErrorCodesTest {
    private static final Pattern BACKTICKED = Pattern.compile("`([a-z_]+)`");
    private static final Pattern THROWN = Pattern.compile(
            "(?:ApiException\\.(?:notFound|conflict)\\(|new ApiException\\(\\s*HttpStatus\\.[A-Z_]+,)\\s*\"([a-z_]+)\"");

    @Test
    void theListStartsWithTheCodesTheReadmeDocumentsInItsOrder() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("- **Errors**");
        int end = readme.indexOf("\n- **", start + 1);
        String line = readme.substring(readme.indexOf("`code`:", start) + "`code`:".length(), end);
        List<String> documented = new ArrayList<>();
        Matcher m = BACKTICKED.matcher(line);
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertThat(documented).hasSizeGreaterThan(5);
        assertThat(ErrorCodes.DETAILS.keySet().stream().limit(documented.size()).toList())
                .as("ErrorCodes.DETAILS opens with the README's Errors line, in its order")
                .isEqualTo(documented);
    }

    @Test
    void everyCodeThrownIsListed() throws IOException {
        Set<String> thrown = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = THROWN.matcher(Files.readString(file));
                while (m.find()) {
                    thrown.add(m.group(1));
                }
            }
        }
        assertThat(thrown).contains("unknown_turn", "turn_not_open", "payments_unavailable");
        assertThat(ErrorCodes.DETAILS.keySet()).containsAll(thrown);
    }
}
