package dev.osprey.epp.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osprey.api.Criticality;
import dev.osprey.api.InferenceModel;
import dev.osprey.api.ResourceMeta;
import dev.osprey.api.ResourceSet;
import dev.osprey.api.TargetModel;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ModelResolverTest {

    static InferenceModel model(String name, String modelName, Criticality c, Instant created, String pool,
            TargetModel... targets) {
        return new InferenceModel(new ResourceMeta(name, "ns", created, Map.of()), modelName, c, List.of(targets),
                pool);
    }

    static ModelDirectory directory(InferenceModel... models) {
        return ModelDirectory.of(new ResourceSet(List.of(), List.of(models), List.of()), "ns", "pool");
    }

    private final Random random = new Random(3);

    @Test
    void splitsTrafficByTargetWeights() {
        ModelResolver r = new ModelResolver(directory(model("m", "chat", Criticality.CRITICAL, Instant.EPOCH, "pool",
                new TargetModel("chat-v1", 90), new TargetModel("chat-v2", 10))), UnknownModelPolicy.REJECT,
                () -> random);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            ModelResolution.Resolved res = (ModelResolution.Resolved) r.resolve("chat", Optional.empty());
            assertThat(res.criticality()).isEqualTo(Criticality.CRITICAL);
            counts.merge(res.target(), 1, Integer::sum);
        }
        assertThat(counts.get("chat-v2")).isBetween(120, 290);
        assertThat(counts.get("chat-v1")).isBetween(1710, 1880);
    }

    @Test
    void zeroWeightsDrawUniformlyAndNoTargetsKeepsTheName() {
        ModelResolver r = new ModelResolver(directory(
                model("a", "zero", Criticality.STANDARD, Instant.EPOCH, "pool", new TargetModel("z1", 0),
                        new TargetModel("z2", 0)),
                model("b", "plain", Criticality.SHEDDABLE, Instant.EPOCH, "")), UnknownModelPolicy.REJECT,
                () -> random);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            counts.merge(((ModelResolution.Resolved) r.resolve("zero", Optional.empty())).target(), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys("z1", "z2");
        ModelResolution.Resolved plain = (ModelResolution.Resolved) r.resolve("plain", Optional.empty());
        assertThat(plain.target()).isEqualTo("plain");
        assertThat(plain.rewritten()).isFalse();
        assertThat(plain.criticality()).isEqualTo(Criticality.SHEDDABLE);
    }

    @Test
    void unknownModelPassesThroughAsStandardOrIsRejected() {
        ModelResolution pass = new ModelResolver(directory(), UnknownModelPolicy.PASS_THROUGH, () -> random)
                .resolve("other", Optional.empty());
        assertThat(pass).isEqualTo(new ModelResolution.Resolved("other", "other", Criticality.STANDARD, false));
        assertThat(new ModelResolver(directory(), UnknownModelPolicy.REJECT, () -> random)
                .resolve("other", Optional.empty())).isEqualTo(new ModelResolution.Unknown("other"));
    }

    @Test
    void rewriteHeaderWins() {
        ModelResolver r = new ModelResolver(directory(model("m", "chat", Criticality.CRITICAL, Instant.EPOCH, "pool",
                new TargetModel("chat-v1", 1))), UnknownModelPolicy.REJECT, () -> random);
        assertThat(((ModelResolution.Resolved) r.resolve("chat", Optional.of("forced"))).target()).isEqualTo("forced");
    }

    @Test
    void oldestModelWinsAndOtherPoolsAreIgnored() {
        ModelDirectory d = directory(
                model("new", "chat", Criticality.SHEDDABLE, Instant.ofEpochSecond(100), "pool"),
                model("old", "chat", Criticality.CRITICAL, Instant.ofEpochSecond(1), "pool"),
                model("elsewhere", "x", Criticality.CRITICAL, Instant.EPOCH, "other-pool"));
        assertThat(d.find("chat").orElseThrow().meta().name()).isEqualTo("old");
        assertThat(d.find("x")).isEmpty();
    }
}
