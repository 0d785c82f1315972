package dev.osprey.api;

import java.util.List;
import java.util.Optional;

/** An InferenceModelRewrite ({@code inference.networking.x-k8s.io/v1alpha2}): ordered model rewrite rules. */
public record InferenceModelRewrite(ResourceMeta meta, String poolRef, List<ModelRewriteRule> rules) {

    public InferenceModelRewrite {
        rules = List.copyOf(rules);
    }

    /** The first rule matching {@code model}. */
    public Optional<ModelRewriteRule> ruleFor(String model) {
        return rules.stream().filter(r -> r.matches(model)).findFirst();
    }
}
