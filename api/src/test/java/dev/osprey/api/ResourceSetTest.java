package dev.osprey.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rewrite lookups of {@link ResourceSet}: the oldest rewrite of the pool (or of no pool) with a matching rule wins. */
class ResourceSetTest {

    private static InferenceModelRewrite rewrite(String name, String ns, long createdSecond, String pool,
            String target) {
        return new InferenceModelRewrite(new ResourceMeta(name, ns, Instant.ofEpochSecond(createdSecond), Map.of()),
                pool, List.of(new ModelRewriteRule(List.of("chat"), List.of(new TargetModel(target, 1)))));
    }

    @Test
    void theOldestMatchingRewriteOfThePoolWinsWhateverTheOrderGiven() {
        ResourceSet set = new ResourceSet(List.of(), List.of(), List.of(), List.of(), List.of(
                rewrite("newest", "ns", 30, "pool", "from-newest"),
                rewrite("other-pool", "ns", 5, "another", "from-other-pool"),
                rewrite("b-same-age", "ns", 10, "", "from-b"),
                rewrite("a-same-age", "ns", 10, "pool", "from-a")));

        assertThat(set.rewriteRule("pool", "chat")).map(r -> r.targets().get(0).name()).contains("from-a");
        assertThat(set.rewriteRule("another", "chat")).map(r -> r.targets().get(0).name())
                .contains("from-other-pool");
        assertThat(set.rewriteRule("pool", "unmatched")).isEmpty();
        assertThat(set.rewrites()).extracting(r -> r.meta().name())
                .containsExactly("other-pool", "a-same-age", "b-same-age", "newest");
    }

    @Test
    void noRewritesAnswerEmpty() {
        assertThat(ResourceSet.empty().rewriteRule("pool", "chat")).isEmpty();
    }
}
