package dev.osprey.api;

import java.util.List;

/**
 * One rule of an InferenceModelRewrite: when the incoming model equals one of {@code matchModels} (type Exact),
 * the target is drawn from {@code targets} by weight (uniformly when the weights sum to 0).
 */
public record ModelRewriteRule(List<String> matchModels, List<TargetModel> targets) {

    public ModelRewriteRule {
        matchModels = List.copyOf(matchModels);
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("spec.rules[].targets must not be empty");
        }
    }

    public boolean matches(String model) {
        return matchModels.contains(model);
    }
}
