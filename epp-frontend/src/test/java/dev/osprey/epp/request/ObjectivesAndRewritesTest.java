package dev.osprey.epp.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osprey.api.Criticality;
import dev.osprey.api.InferenceModel;
import dev.osprey.api.InferenceModelRewrite;
import dev.osprey.api.InferenceObjective;
import dev.osprey.api.ModelRewriteRule;
import dev.osprey.api.ResourceMeta;
import dev.osprey.api.ResourceSet;
import dev.osprey.api.ResourceSource;
import dev.osprey.api.TargetModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ObjectivesAndRewritesTest {

    private final Random random = new Random(11);

    private static ResourceMeta meta(String name, String ns) {
        return new ResourceMeta(name, ns, Instant.EPOCH, Map.of());
    }

    private static ResourceSet set(List<InferenceModel> models, List<InferenceObjective> objectives,
            List<InferenceModelRewrite> rewrites) {
        return new ResourceSet(List.of(), models, List.of(), objectives, rewrites);
    }

    private ModelResolver resolver(ResourceSet set, UnknownModelPolicy policy) {
        PoolResources r = PoolResources.of(set, "ns", "pool");
        return new ModelResolver(() -> r, policy, () -> random);
    }

    private static ModelResolution.Resolved resolved(ModelResolution r) {
        assertThat(r).isInstanceOf(ModelResolution.Resolved.class);
        return (ModelResolution.Resolved) r;
    }

    @Test
    void objectiveHeaderSetsPriorityAndNegativeMeansSheddable() {
        ResourceSet set = set(List.of(new InferenceModel(meta("im", "ns"), "vip", Criticality.CRITICAL, List.of(),
                "pool")), List.of(new InferenceObjective(meta("batch", "ns"), -5, "pool"),
                new InferenceObjective(meta("gold", "ns"), 10, ""),
                new InferenceObjective(meta("foreign", "other-ns"), 99, "pool"),
                new InferenceObjective(meta("other-pool", "ns"), 7, "another")), List.of());
        ModelResolver r = resolver(set, UnknownModelPolicy.PASS_THROUGH);

        ModelResolution.Resolved batch = resolved(r.resolve("any", Optional.empty(), Optional.of("batch")));
        assertThat(batch.priority()).contains(-5);
        assertThat(batch.criticality()).isEqualTo(Criticality.SHEDDABLE);
        ModelResolution.Resolved gold = resolved(r.resolve("vip", Optional.empty(), Optional.of("gold")));
        assertThat(gold.priority()).contains(10);
        assertThat(gold.criticality()).isEqualTo(Criticality.CRITICAL);
        assertThat(resolved(r.resolve("any", Optional.empty(), Optional.of("foreign"))).priority()).isEmpty();
        assertThat(resolved(r.resolve("any", Optional.empty(), Optional.of("other-pool"))).priority()).isEmpty();
        assertThat(resolved(r.resolve("any", Optional.empty(), Optional.of("missing"))).criticality())
                .isEqualTo(Criticality.STANDARD);
    }

    @Test
    void firstMatchingRewriteRuleDrawsByWeightAndHeaderStillWins() {
        InferenceModelRewrite rw = new InferenceModelRewrite(meta("rw", "ns"), "pool", List.of(
                new ModelRewriteRule(List.of("chat"), List.of(new TargetModel("chat-a", 90),
                        new TargetModel("chat-b", 10))),
                new ModelRewriteRule(List.of("chat"), List.of(new TargetModel("never", 1)))));
        ModelResolver r = resolver(set(List.of(), List.of(), List.of(rw)), UnknownModelPolicy.REJECT);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            ModelResolution.Resolved res = resolved(r.resolve("chat", Optional.empty()));
            assertThat(res.known()).isTrue();
            counts.merge(res.target(), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys("chat-a", "chat-b");
        assertThat(counts.get("chat-b")).isBetween(130, 280);
        assertThat(resolved(r.resolve("chat", Optional.of("pinned"))).target()).isEqualTo("pinned");
        assertThat(r.resolve("unmatched", Optional.empty())).isEqualTo(new ModelResolution.Unknown("unmatched"));
    }

    @Test
    void viewFollowsTheSourceAtRunTime() {
        List<Consumer<ResourceSet>> listeners = new ArrayList<>();
        ResourceSet first = set(List.of(), List.of(), List.of());
        ResourceSource source = new ResourceSource() {
            @Override
            public ResourceSet current() {
                return first;
            }

            @Override
            public void subscribe(Consumer<ResourceSet> listener) {
                listeners.add(listener);
            }
        };
        PoolResourcesView view = PoolResourcesView.follow(source, "ns", "pool");
        ModelResolver r = new ModelResolver(view, UnknownModelPolicy.REJECT, () -> random);
        assertThat(r.resolve("chat", Optional.empty())).isInstanceOf(ModelResolution.Unknown.class);

        InferenceModelRewrite rw = new InferenceModelRewrite(meta("rw", "ns"), "", List.of(
                new ModelRewriteRule(List.of("chat"), List.of(new TargetModel("chat-v9", 1)))));
        listeners.forEach(l -> l.accept(set(List.of(), List.of(new InferenceObjective(meta("o", "ns"), -1, "")),
                List.of(rw))));
        ModelResolution.Resolved now = resolved(r.resolve("chat", Optional.empty(), Optional.of("o")));
        assertThat(now.target()).isEqualTo("chat-v9");
        assertThat(now.criticality()).isEqualTo(Criticality.SHEDDABLE);
    }
}
