package com.imagina.credits.proof;

import static org.assertj.core.api.Assertions.assertThat;

import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Nothing private is public (contract v1.1): only {@code /actuator/health} is open on the service port,
 * the rest of actuator needs the admin role; CSV cells that a spreadsheet would run as a formula are
 * neutralised; the download name is encoded (RFC 6266/5987), whatever the account id holds; only
 * {@code /journeys/*} may be framed, by {@code credits.web.frame-ancestors} ('self'), other pages by nobody.
 * Before #16 metrics were public, TAB and CR cells were left as they were, the account id went into the
 * header as it came, and the journey page could be framed by any site.
 */
class NothingPrivatePublicTest extends ApiTest {

    @Test
    void onlyHealthIsOpen() {
        assertThat(api.get("/actuator/health", null).status()).isEqualTo(200);
        assertThat(api.get("/actuator/health/liveness", null).status()).isEqualTo(200);
        for (String path : List.of("/actuator/prometheus", "/actuator/metrics", "/actuator/metrics/jvm.memory.used",
                "/actuator/info", "/actuator")) {
            Api.Response anonymous = api.get(path, null);
            assertThat(anonymous.status()).as(path).isEqualTo(401);
            assertThat(anonymous.body()).doesNotContain("jvm_", "hikari");
            assertThat(api.get(path, api.player(id("p"))).status()).as(path).isEqualTo(403);
            assertThat(api.get(path, api.engine()).status()).as(path).isEqualTo(403);
        }
        assertThat(api.get("/actuator/prometheus", api.admin()).body()).contains("http_server_requests");
    }

    @Test
    void csvCellsCannotRunAsFormulasAndTheNameIsEncoded() {
        String account = "csv \"quoted\" é " + id("a");
        for (String reason : List.of("=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "plain")) {
            Api.Response r = api.post("/api/v1/admin/adjustments", api.admin(), Map.of("adjustmentId", id("adj"),
                    "accountId", account, "amountMillicredits", 1_000, "reason", reason));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
        String encoded = URLEncoder.encode(account, StandardCharsets.UTF_8).replace("+", "%20");
        Api.Response csv = api.get("/api/v1/accounts/" + encoded + "/transactions.csv", api.admin());
        assertThat(csv.status()).as(csv.toString()).isEqualTo(200);
        for (String line : csv.body().split("\r\n(?=\\d)")) {
            if (line.startsWith("id,")) continue;
            String description = description(line);
            assertThat(description).as(line).matches("(?s)'[=+\\-@\t\r].*|plain");
        }
        String disposition = csv.headers().get("content-disposition").get(0);
        assertThat(disposition).startsWith("attachment;").contains("filename*=UTF-8''");
        assertThat(disposition).as("no raw quote or non-ASCII character from the id").doesNotContain("\"quoted\"", "é");
        assertThat(disposition.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).isTrue();
    }

    @Test
    void onlyTheJourneyPageMayBeFramedAndOnlyByItself() {
        Api.Response journey = api.get("/journeys/" + id("j"), null);
        assertThat(journey.status()).isEqualTo(200);
        assertThat(journey.headers().get("content-security-policy")).as("CSP").anyMatch(v -> v.contains("frame-ancestors 'self'"));
        assertThat(journey.headers().getOrDefault("content-security-policy", List.of()))
                .noneMatch(v -> v.contains("frame-ancestors *"));
        for (String page : List.of("/", "/history", "/buy", "/models", "/worlds")) {
            Api.Response r = api.get(page, null);
            assertThat(r.status()).as(page).isEqualTo(200);
            assertThat(r.headers().get("x-frame-options")).as(page).containsExactly("DENY");
            assertThat(r.headers().get("content-security-policy")).as(page).anyMatch(v -> v.contains("frame-ancestors 'none'"));
        }
    }

    /** The 7th column of a CSV row (RFC 4180, quoted cells may hold commas, quotes and CR). */
    private static String description(String line) {
        List<String> cells = new java.util.ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells.get(6);
    }
}
