package dev.osprey.epp.request;

import dev.osprey.api.Criticality;
import dev.osprey.api.InferenceModel;
import dev.osprey.api.TargetModel;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Maps a requested model to its target and criticality. The {@code x-gateway-model-name-rewrite} header wins;
 * otherwise an InferenceModel's {@code targetModels} are drawn by weight (uniformly when all weights are 0; the
 * name itself when there are none). A model without an InferenceModel is Standard and passes through, or is
 * {@link ModelResolution.Unknown} under {@link UnknownModelPolicy#REJECT}. Thread-safe.
 */
public final class ModelResolver {

    private final ModelDirectory directory;
    private final UnknownModelPolicy policy;
    private final Supplier<RandomGenerator> random;

    public ModelResolver(ModelDirectory directory, UnknownModelPolicy policy, Supplier<RandomGenerator> random) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.random = Objects.requireNonNull(random, "random");
    }

    public ModelResolution resolve(String incoming, Optional<String> rewriteHeader) {
        Optional<InferenceModel> model = directory.find(incoming);
        Optional<String> rewrite = rewriteHeader.filter(h -> !h.isBlank());
        if (model.isEmpty()) {
            if (policy == UnknownModelPolicy.REJECT && rewrite.isEmpty()) {
                return new ModelResolution.Unknown(incoming);
            }
            return new ModelResolution.Resolved(incoming, rewrite.orElse(incoming), Criticality.STANDARD, false);
        }
        InferenceModel m = model.get();
        String target = rewrite.orElseGet(() -> draw(m.targetModels()).orElse(incoming));
        return new ModelResolution.Resolved(incoming, target, m.criticality(), true);
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
