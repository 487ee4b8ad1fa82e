package com.imagina.credits.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.CreditsProperties;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** The parts of payments that need no database: keys, pack math, event reading. */
class PaymentsUnitTest {

    @Test
    void withoutAnyStripeSettingsTheCheckoutIsSimulatedWithAGeneratedWebhookSecret() {
        StripeKeys keys = new StripeKeys(new CreditsProperties.Stripe(null, "", "", "", Duration.ofSeconds(20)));
        assertThat(keys.simulated()).isTrue();
        assertThat(keys.webhookSecretGenerated()).isTrue();
        assertThat(keys.webhookSecret()).startsWith("whsec_dev_").hasSizeGreaterThan(40);
        assertThat(new StripeKeys(new CreditsProperties.Stripe(null, null, "", "", Duration.ofSeconds(20)))
                .webhookSecret())
                .isNotEqualTo(keys.webhookSecret());

        StripeKeys configured = new StripeKeys(
                new CreditsProperties.Stripe("", "whsec_abc", "https://x.example/", "", Duration.ofSeconds(20)));
        assertThat(configured.simulated()).isTrue();
        assertThat(configured.webhookSecret()).isEqualTo("whsec_abc");
        assertThat(configured.publicBaseUrl()).isEqualTo("https://x.example/");
    }

    @Test
    void aSecretKeyWithoutAWebhookSecretRefusesEveryWebhook() throws Exception {
        StripeKeys keys = new StripeKeys(new CreditsProperties.Stripe("sk_test_x", null, null, "", Duration.ofSeconds(20)));
        assertThat(keys.simulated()).isFalse();
        assertThat(keys.webhookSecret()).isNull();
        StripeWebhooks webhooks = new StripeWebhooks(keys, null, null, null, null, null, null);
        String payload = StripeTestEvents.payload(StripeTestEvents.fixture("checkout.session.completed"));
        assertThatThrownBy(() -> webhooks.receive(payload, StripeTestEvents.sign(payload, "whsec_any")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("webhook_secret_missing");
                });
    }

    @Test
    void ourTestSignaturesAreTheOnesStripeJavaMakes() throws Exception {
        String payload = StripeTestEvents.payload(StripeTestEvents.fixture("charge.refunded"));
        assertThat(StripeTestEvents.sign(payload, "whsec_k", 1_700_000_000L))
                .isEqualTo(Webhook.Signature.generateSignatureHeader(payload, "whsec_k", 1_700_000_000L));
    }

    @Test
    void packsGrantTheirPriceAtTheCreditRatePlusABonus() {
        List<Pack> packs = PackCatalog.build(PackCatalog.DEFAULTS, new BigDecimal("1000"));
        assertThat(packs).extracting(Pack::totalMillicredits)
                .containsExactly(5_000_000L, 10_500_000L, 27_500_000L, 60_000_000L);
        assertThat(PackCatalog.grantForUsdCents(500, new BigDecimal("1000"))).isEqualTo(5_000_000);
        assertThat(PackCatalog.grantForUsdCents(333, new BigDecimal("0.0015"))).isEqualTo(5); // 4.995 → 5
        List<Pack> odd = PackCatalog.build(List.of(new PackCatalog.PackSetting("p", null, 999L, "USD",
                new BigDecimal("7.5"), null)), new BigDecimal("1000"));
        assertThat(odd.get(0)).isEqualTo(new Pack("p", "p", 999, "usd", 9_990_000, 749_250));
        assertThatThrownBy(() -> PackCatalog.build(List.of(new PackCatalog.PackSetting("e", "E", 500L, "eur",
                null, null)), BigDecimal.ONE)).hasMessageContaining("grant-millicredits");
        assertThatThrownBy(() -> PackCatalog.build(List.of(PackCatalog.DEFAULTS.get(0), PackCatalog.DEFAULTS.get(0)),
                BigDecimal.ONE)).hasMessageContaining("unique id");
    }

    @Test
    void theCatalogIsReadFromCreditsPacks() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("credits.packs[0].id", "pack-tiny")
                .withProperty("credits.packs[0].name", "Tiny")
                .withProperty("credits.packs[0].price-cents", "199")
                .withProperty("credits.packs[0].bonus-percent", "2.5")
                .withProperty("credits.packs[1].id", "pack-eur")
                .withProperty("credits.packs[1].price-cents", "900")
                .withProperty("credits.packs[1].currency", "EUR")
                .withProperty("credits.packs[1].grant-millicredits", "9500000");
        CreditsProperties properties = new CreditsProperties(null, null, null, null, null, null,
                new CreditsProperties.Pricing(new BigDecimal("1000")), null, null);
        PackCatalog catalog = new PackCatalog(env, properties);
        assertThat(catalog.all()).containsExactly(
                new Pack("pack-tiny", "Tiny", 199, "usd", 1_990_000, 49_750),
                new Pack("pack-eur", "pack-eur", 900, "eur", 9_500_000, 0));
        assertThat(catalog.find("pack-eur")).isPresent();
        assertThat(catalog.find("pack-small")).isEmpty();
        assertThat(new PackCatalog(new MockEnvironment(), properties).all()).hasSize(4);
    }

    @Test
    void eventFieldsAreReadWhateverTheEventsApiVersion() {
        for (String version : List.of(com.stripe.Stripe.API_VERSION, "2025-06-30.basil", "2016-07-06")) {
            var node = StripeTestEvents.completed("cs_x", "u-1", "pack-small", 500, "pi_x");
            node.put("api_version", version);
            Event event = Webhook.constructEventWithoutVerification(StripeTestEvents.payload(node));
            // The library hands out the typed object only for its pinned API version.
            assertThat(event.getDataObjectDeserializer().getObject().isPresent())
                    .isEqualTo(version.equals(com.stripe.Stripe.API_VERSION));
            StripeEventData.SessionFacts facts = StripeEventData.session(event);
            assertThat(facts).isEqualTo(new StripeEventData.SessionFacts("cs_x", "paid", 500L, "usd", "u-1", "u-1",
                    "pack-small", "pi_x"));
        }
        var refund = StripeTestEvents.chargeRefunded("pi_y", 2500, 700);
        refund.put("api_version", "2020-08-27");
        StripeEventData.ChargeFacts charge = StripeEventData.charge(
                Webhook.constructEventWithoutVerification(StripeTestEvents.payload(refund)));
        assertThat(charge.paymentIntent()).isEqualTo("pi_y");
        assertThat(charge.amount()).isEqualTo(2500);
        assertThat(charge.amountRefunded()).isEqualTo(700);

        // A data object the model cannot take (a field of the wrong shape) is still read from the raw JSON.
        var odd = StripeTestEvents.completed("cs_z", "u-2", "pack-huge", 5000, "pi_z");
        ((com.fasterxml.jackson.databind.node.ObjectNode) odd.path("data").path("object"))
                .put("created", "not a number").putArray("status");
        odd.put("api_version", "2010-01-01");
        Event oddEvent = Webhook.constructEventWithoutVerification(StripeTestEvents.payload(odd));
        assertThatThrownBy(() -> oddEvent.getDataObjectDeserializer().deserializeUnsafe()).isNotNull();
        StripeEventData.SessionFacts facts = StripeEventData.session(oddEvent);
        assertThat(facts.sessionId()).isEqualTo("cs_z");
        assertThat(facts.amountTotal()).isEqualTo(5000);
        assertThat(facts.packId()).isEqualTo("pack-huge");
    }

    /** The final statuses are written twice, in Java and in the upsert's SQL: they must be the same three. */
    @Test
    void theDisputeUpsertKeepsExactlyTheFinalStatuses() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("stripe_disputes\\.status in \\(([^)]*)\\)")
                .matcher(DisputeClawbacks.UPSERT_SQL);
        assertThat(m.find()).isTrue();
        List<String> inSql = java.util.Arrays.stream(m.group(1).split(",")).map(w -> w.trim().replace("'", ""))
                .sorted().toList();
        assertThat(inSql).isEqualTo(java.util.Arrays.stream(DisputeStatus.values()).filter(DisputeStatus::isFinal)
                .map(DisputeStatus::wireName).sorted().toList());
        assertThat(DisputeStatus.fromWire("warning_closed")).isEqualTo(DisputeStatus.WARNING_CLOSED);
        assertThat(DisputeStatus.fromWire("a word Stripe never wrote")).isEqualTo(DisputeStatus.UNKNOWN);
        assertThat(DisputeStatus.fromWire(null)).isNull();
    }

    @Test
    void stripeEventTypesAreMappedByStripesOwnWords() {
        assertThat(StripeEventType.fromWire("charge.dispute.closed")).contains(StripeEventType.CHARGE_DISPUTE_CLOSED);
        assertThat(StripeEventType.fromWire("checkout.session.async_payment_succeeded"))
                .contains(StripeEventType.CHECKOUT_SESSION_ASYNC_PAYMENT_SUCCEEDED);
        assertThat(StripeEventType.fromWire("customer.created")).isEmpty();
        assertThat(EventOutcome.Code.DISPUTE_ALREADY_APPLIED.wireName()).isEqualTo("dispute_already_applied");
    }
}
