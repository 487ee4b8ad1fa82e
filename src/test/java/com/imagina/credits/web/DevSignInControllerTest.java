package com.imagina.credits.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.CreditsProperties;
import com.imagina.credits.system.security.JwtSecret;
import com.imagina.credits.system.security.TokenMinter;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.env.MockEnvironment;

/** Outside the dev profile the sign-in page does not exist: nobody can mint a token by asking. */
class DevSignInControllerTest {

    @Test
    void disabledSignInAnswers404ForTheFormAndThePost() {
        DevSignInController controller = controller(false);
        assertThatThrownBy(controller::form).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(HttpStatus.NOT_FOUND));
        assertThatThrownBy(() -> controller.signIn("u-1", "admin")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(HttpStatus.NOT_FOUND));
    }

    @Test
    void enabledSignInRedirectsToTheDashboardWithTheTokenInTheFragment() {
        var response = controller(true).signIn(" u-1 ", "engine");
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SEE_OTHER);
        assertThat(response.getHeaders().getLocation().toString()).matches("/#token=[\\w-]+\\.[\\w-]+\\.[\\w-]+");
    }

    @Test
    void enabledSignInRefusesUnknownRolesAndMarkupInIds() {
        var badRole = controller(true).signIn("u-1", "root");
        assertThat(badRole.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        var badId = controller(true).signIn("<script>", "player");
        assertThat(badId.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(badId.getBody()).contains("&lt;script&gt;").doesNotContain("<script>");
    }

    private static DevSignInController controller(boolean signIn) {
        CreditsProperties properties = new CreditsProperties(null, new CreditsProperties.Jwt("unit-test-secret"), null,
                null, null, null, new CreditsProperties.Pricing(BigDecimal.valueOf(1000)), null,
                new CreditsProperties.Dev(signIn, "target/unused-dev-jwt-secret"));
        TokenMinter minter = new TokenMinter(new JwtSecret(properties, new MockEnvironment()));
        assertThat(DevSignInController.LIFETIME).isEqualTo(Duration.ofHours(12));
        return new DevSignInController(properties, minter);
    }
}
