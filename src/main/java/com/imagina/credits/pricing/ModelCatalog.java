package com.imagina.credits.pricing;

import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.BoundedMemo;
import com.imagina.credits.system.JsonText;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The models and their prices. A price change bumps {@code price_version}; settled turns keep the
 * price snapshot they were charged at, so history never changes with the catalog.
 */
@Component
public class ModelCatalog {
    /** The columns {@link #mapIfPresent} reads, for queries of other features that join a model in. */
    public static final String COLUMNS =
            "model_id, name, provider, tier, credits_only, is_default, prices, cache_ttl_seconds, price_version";

    private static final int PARSED_LIMIT = 256;

    private final JdbcClient jdbc;
    private final JsonText text;
    private final BoundedMemo<String, Prices> parsed = new BoundedMemo<>(PARSED_LIMIT);

    ModelCatalog(JdbcClient jdbc, JsonText text) {
        this.jdbc = jdbc;
        this.text = text;
    }

    public List<Model> all() {
        return jdbc.sql("select " + COLUMNS + " from models order by is_default desc, credits_only, model_id")
                .query(this::map).list();
    }

    public Optional<Model> find(String modelId) {
        return jdbc.sql("select " + COLUMNS + " from models where model_id = :id")
                .param("id", modelId).query(this::map).optional();
    }

    String writePrior(PriorProfile prior) {
        return text.write(prior);
    }

    public String write(Prices prices) {
        return text.write(prices);
    }

    /**
     * The prices of a stored text. A model's row is read, prices and all, by every authorize and settle,
     * and its prices change only with a new version, so the parsed prices are kept by their exact text: a
     * pure function of the text (records of BigDecimals, immutable), so nothing kept can be stale, and the
     * JSON parse with its BigDecimals runs once per text instead of twice per turn. Bounded: emptied when it
     * holds {@value #PARSED_LIMIT} texts (the catalog has tens).
     */
    Prices read(String pricesJson) {
        if (pricesJson == null) {
            return text.read((String) null, Prices.class);
        }
        Prices known = parsed.get(pricesJson);
        if (known != null) {
            return known;
        }
        Prices prices = text.read(pricesJson, Prices.class);
        parsed.put(pricesJson, prices);
        return prices;
    }

    Model require(String modelId) {
        return find(modelId).orElseThrow(() ->
                ApiException.notFound("unknown_model", "No model '" + modelId + "'."));
    }

    /** Every model's typical first and follow-up turn, the estimates' prior. */
    public Map<String, PriorProfile> priors() {
        Map<String, PriorProfile> priors = new HashMap<>();
        jdbc.sql("select model_id, prior_profile::text from models").query(rs -> {
            String stored = rs.getString(2);
            priors.put(rs.getString(1), stored == null ? PriorProfile.GENERIC : this.text.read(stored, PriorProfile.class));
        });
        return priors;
    }


    /**
     * Creates or changes a model. Setting {@code isDefault} clears it on every other model in the same
     * transaction; the unique index on the default keeps "at most one" true even under races. "Exactly
     * one" is kept here: clearing {@code isDefault} on the current default is refused (409
     * {@code default_required}) — the default moves only by setting it on another model — because the
     * journey cost panel and the switch offer point at it. The default's row is locked first, so a
     * concurrent move of the default is waited for and then seen.
     */
    @Transactional
    Model upsert(Model model, String priorProfileJson, Instant now) {
        if (model.isDefault()) {
            jdbc.sql("update models set is_default = false where is_default and model_id <> :id")
                    .param("id", model.id()).update();
        } else {
            boolean clearsTheDefault = jdbc.sql("select model_id from models where is_default for update")
                    .query(String.class).optional().filter(model.id()::equals).isPresent();
            if (clearsTheDefault) {
                throw ApiException.conflict("default_required", "Model '" + model.id() + "' is the default and "
                        + "exactly one model is: make another model the default (isDefault: true on it) instead.");
            }
        }
        jdbc.sql("""
                insert into models (model_id, name, provider, tier, credits_only, is_default, prices,
                                    cache_ttl_seconds, prior_profile, price_version, updated_at)
                values (:id, :name, :provider, :tier, :creditsOnly, :isDefault, cast(:prices as jsonb),
                        :ttl, cast(:prior as jsonb), 1, :now)
                on conflict (model_id) do update set
                    name = excluded.name, provider = excluded.provider, tier = excluded.tier,
                    credits_only = excluded.credits_only, is_default = excluded.is_default,
                    prices = excluded.prices, cache_ttl_seconds = excluded.cache_ttl_seconds,
                    prior_profile = coalesce(excluded.prior_profile, models.prior_profile),
                    price_version = models.price_version
                        + case when models.prices = excluded.prices then 0 else 1 end,
                    updated_at = excluded.updated_at""")
                .param("id", model.id())
                .param("name", model.name())
                .param("provider", model.provider())
                .param("tier", model.tier())
                .param("creditsOnly", model.creditsOnly())
                .param("isDefault", model.isDefault())
                .param("prices", write(model.prices()))
                .param("ttl", model.cacheTtlSeconds())
                .param("prior", priorProfileJson)
                .param("now", Timestamp.from(now))
                .update();
        return require(model.id());
    }

    boolean isEmpty() {
        return jdbc.sql("select count(*) from models").query(Long.class).single() == 0;
    }

    /** The model of a row that joined it in with {@link #COLUMNS}; empty when the join found none. */
    public Optional<Model> mapIfPresent(ResultSet rs) throws SQLException {
        return rs.getString("model_id") == null ? Optional.empty() : Optional.of(map(rs, 0));
    }

    private Model map(ResultSet rs, int row) throws SQLException {
        return new Model(
                rs.getString("model_id"),
                rs.getString("name"),
                rs.getString("provider"),
                rs.getString("tier"),
                rs.getBoolean("credits_only"),
                rs.getBoolean("is_default"),
                read(rs.getString("prices")),
                rs.getInt("cache_ttl_seconds"),
                rs.getInt("price_version"));
    }
}
