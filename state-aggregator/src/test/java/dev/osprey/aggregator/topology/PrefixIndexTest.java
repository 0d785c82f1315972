package dev.osprey.aggregator.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.osprey.schemas.avro.DecisionOutcome;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrefixIndexTest {

    private static final String POOL = "c1/ns/pool-a";
    private static final String E1 = "10.0.0.1:8000";
    private static final String E2 = "10.0.0.2:8000";

    @TempDir
    Path stateDir;

    private static TopologyFixture fixture(Path dir, int maxBlocks, Duration ttl) {
        return new TopologyFixture(dir, TopologyFixture.defaults().withPrefixIndex(ttl, maxBlocks,
                Duration.ofMillis(100)));
    }

    @Test
    void recordsRoutedBlocksPerPrimaryEndpointAndPublishesChangedPools() {
        try (TopologyFixture f = fixture(stateDir, 100, Duration.ofMinutes(5))) {
            f.decide(f.routed(POOL, "r1", E1).setPrefixBlockHashes(List.of(1L, 2L, 3L)));
            f.decide(f.routed(POOL, "r2", E2).setPrefixBlockHashes(List.of(1L, -9L)));
            f.decide(f.routed(POOL, "shed", E2).setPrefixBlockHashes(List.of(77L)).setOutcome(DecisionOutcome.SHED));
            assertThat(f.prefixIndex.isEmpty()).as("published by the wall-clock punctuator only").isTrue();

            f.advance(Duration.ofMillis(100));

            List<TestRecord<String, PrefixIndexSnapshot>> published = f.prefixIndex.readRecordsToList();
            assertThat(published).hasSize(1);
            PrefixIndexSnapshot snapshot = published.get(0).value();
            assertThat(published.get(0).key()).isEqualTo(POOL);
            assertThat(snapshot.blocksByEndpoint()).containsOnlyKeys(E1, E2);
            assertThat(snapshot.blocks(E1)).containsExactlyInAnyOrder(1L, 2L, 3L);
            assertThat(snapshot.blocks(E2)).containsExactlyInAnyOrder(1L, -9L);

            f.advance(Duration.ofMillis(100));
            assertThat(f.prefixIndex.isEmpty()).as("nothing changed, nothing published").isTrue();
        }
    }

    @Test
    void keepsOnlyTheMostRecentlyRoutedBlocksPerEndpoint() {
        try (TopologyFixture f = fixture(stateDir, 3, Duration.ofMinutes(5))) {
            f.decide(f.routed(POOL, "r1", E1).setPrefixBlockHashes(List.of(1L, 2L)));
            f.advance(Duration.ofMillis(10));
            f.decide(f.routed(POOL, "r2", E1).setPrefixBlockHashes(List.of(3L, 4L)));
            f.advance(Duration.ofMillis(10));
            f.decide(f.routed(POOL, "r3", E1).setPrefixBlockHashes(List.of(1L)));
            f.advance(Duration.ofMillis(100));

            PrefixIndexSnapshot snapshot = last(f.prefixIndex.readRecordsToList());
            assertThat(snapshot.blocks(E1)).as("1 was routed again, 2 is the least recent").containsExactly(1L, 3L, 4L);
            KeyValueStore<String, Long> store = f.driver.getKeyValueStore(AggregatorTopology.PREFIX_INDEX_STORE);
            assertThat(store.get(PrefixIndex.key(POOL, E1, 2L))).as("trimmed from the store too").isNull();
        }
    }

    @Test
    void forgetsBlocksAfterTheTtlAndRepublishesThePool() {
        try (TopologyFixture f = fixture(stateDir, 100, Duration.ofSeconds(2))) {
            f.decide(f.routed(POOL, "r1", E1).setPrefixBlockHashes(List.of(1L)));
            f.advance(Duration.ofMillis(1500));
            f.decide(f.routed(POOL, "r2", E2).setPrefixBlockHashes(List.of(2L)));
            f.advance(Duration.ofMillis(100));
            assertThat(last(f.prefixIndex.readRecordsToList()).blocksByEndpoint()).containsOnlyKeys(E1, E2);

            f.advance(Duration.ofMillis(1000));
            f.advance(Duration.ofMillis(100));

            PrefixIndexSnapshot snapshot = last(f.prefixIndex.readRecordsToList());
            assertThat(snapshot.blocksByEndpoint()).containsOnlyKeys(E2);
            f.advance(Duration.ofSeconds(3));
            f.advance(Duration.ofMillis(100));
            assertThat(last(f.prefixIndex.readRecordsToList()).blocksByEndpoint()).isEmpty();
        }
    }

    @Test
    void ignoresDecisionsWithoutBlocksEndpointsOrAValidPool() {
        try (TopologyFixture f = fixture(stateDir, 100, Duration.ofMinutes(5))) {
            f.decide(f.routed(POOL, "r1", E1));
            f.decide(f.routed(POOL, "r2", E1).setChosenEndpoints(List.of()).setPrefixBlockHashes(List.of(5L)));
            f.decide(f.routed("bad|pool", "r3", E1).setPrefixBlockHashes(List.of(5L)));
            f.advance(Duration.ofMillis(200));
            assertThat(f.prefixIndex.isEmpty()).isTrue();
        }
    }

    @Test
    void matchesOnlyAnUnbrokenLeadingRunOfBlocks() {
        Map<String, List<PrefixIndex.Block>> index = Map.of(
                E1, List.of(new PrefixIndex.Block(1, 0), new PrefixIndex.Block(2, 0), new PrefixIndex.Block(4, 0)),
                E2, List.of(new PrefixIndex.Block(1, 0), new PrefixIndex.Block(3, 0)));
        assertThat(PrefixIndex.match(index, List.of(1L, 2L, 3L, 4L))).containsExactly(
                new PrefixIndex.Match(E1, 2, 3), new PrefixIndex.Match(E2, 1, 2));
        assertThat(PrefixIndex.match(index, List.of(9L, 1L))).extracting(PrefixIndex.Match::matchedBlocks)
                .containsExactly(0, 0);
    }

    private static <V> V last(List<TestRecord<String, V>> records) {
        assertThat(records).isNotEmpty();
        return records.get(records.size() - 1).value();
    }
}
