package dev.osprey.epp.request;

import dev.osprey.api.Criticality;
import dev.osprey.api.InferenceModel;
import dev.osprey.api.InferenceObjective;
import dev.osprey.api.ModelRewriteRule;
import dev.osprey.api.TargetModel;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Maps a requested model to its target, criticality and priority, against the pool's current resources.
 *
 * <p>Target: the {@code x-gateway-model-name-rewrite} header wins; then the first matching InferenceModelRewrite
 * rule, its targets drawn by weight; then an InferenceModel's {@code targetModels} drawn by weight (uniformly when
 * all weights are 0); else the name itself. A model with neither an InferenceModel nor a rewrite rule is Standard
 * and passes through, or is {@link ModelResolution.Unknown} under {@link UnknownModelPolicy#REJECT}.
 *
 * <p>Priority: the InferenceObjective named by the {@code x-gateway-inference-objective} header (unknown names are
 * ignored). A negative priority makes the request Sheddable; a non-negative one lifts a Sheddable model to
 * Standard and keeps Critical. Thread-safe.
 */
public final class ModelResolver {

    private final Supplier<PoolResources> resources;
    private final UnknownModelPolicy policy;
    private final Supplier<RandomGenerator> random;

    public ModelResolver(Supplier<PoolResources> resources, UnknownModelPolicy policy,
            Supplier<RandomGenerator> random) {
        this.resources = Objects.requireNonNull(resources, "resources");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A resolver over fixed models without objectives or rewrites. */
    public ModelResolver(ModelDirectory directory, UnknownModelPolicy policy, Supplier<RandomGenerator> random) {
        this(fixed(PoolResources.ofModels(directory)), policy, random);
    }

    private static Supplier<PoolResources> fixed(PoolResources r) {
        return () -> r;
    }

    /** Resolves without an objective header. */
    public ModelResolution resolve(String incoming, Optional<String> rewriteHeader) {
        return resolve(incoming, rewriteHeader, Optional.empty());
    }

    public ModelResolution resolve(String incoming, Optional<String> rewriteHeader, Optional<String> objectiveHeader) {
        PoolResources r = resources.get();
        Optional<InferenceModel> model = r.models().find(incoming);
        Optional<ModelRewriteRule> rule = r.rewriteRule(incoming);
        Optional<String> rewrite = rewriteHeader.filter(h -> !h.isBlank());
        Optional<InferenceObjective> objective = objectiveHeader.map(String::trim).filter(h -> !h.isEmpty())
                .flatMap(r::objective);
        Optional<Integer> priority = objective.map(InferenceObjective::priority);
        boolean known = model.isPresent() || rule.isPresent();
        if (!known && policy == UnknownModelPolicy.REJECT && rewrite.isEmpty()) {
            return new ModelResolution.Unknown(incoming);
        }
        String target = rewrite
                .or(() -> rule.flatMap(x -> draw(x.targets())))
                .or(() -> model.flatMap(m -> draw(m.targetModels())))
                .orElse(incoming);
        Criticality base = model.map(InferenceModel::criticality).orElse(Criticality.STANDARD);
        return new ModelResolution.Resolved(incoming, target, criticality(base, priority), known, priority);
    }

    private static Criticality criticality(Criticality base, Optional<Integer> priority) {
        if (priority.isEmpty()) {
            return base;
        }
        if (priority.get() < 0) {
            return Criticality.SHEDDABLE;
        }
        return base == Criticality.SHEDDABLE ? Criticality.STANDARD : base;
    }

    private Optional<String> draw(List<TargetModel> targets) {
        if (targets.isEmpty()) {
            return Optional.empty();
        }
        RandomGenerator rnd = random.get();
        long total = targets.stream().mapToLong(TargetModel::weight).sum();
        if (total == 0) {
            return Optional.of(targets.get(rnd.nextInt(targets.size())).name());
        }
        long r = rnd.nextLong(total);
        for (TargetModel t : targets) {
            r -= t.weight();
            if (r < 0) {
                return Optional.of(t.name());
            }
        }
        return Optional.of(targets.get(targets.size() - 1).name());
    }
}
