package dev.osprey.epp.scheduling.prefix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrefixIndexTest {

    private final PrefixHasher hasher = new PrefixHasher(16, 256);

    private static byte[] text(int bytes, char fill) {
        return String.valueOf(fill).repeat(bytes).getBytes(StandardCharsets.UTF_8);
    }

    private long[] hash(String model, byte[] prompt, int expected) {
        long[] out = new long[256];
        assertThat(hasher.hash(model, prompt, out)).isEqualTo(expected);
        return out;
    }

    @Test
    void promptsShorterThanOneBlockHaveNoHashesAndPartialTrailingBlocksAreHashed() {
        hash("m", text(63, 'a'), 0);
        hash("m", text(64, 'a'), 1);
        hash("m", text(65, 'a'), 2);
        hash("m", text(64 * 300, 'a'), 256);
    }

    @Test
    void hashesAreChainedAndSeededByTheModel() {
        byte[] p1 = (new String(text(128, 'a')) + "x".repeat(64)).getBytes(StandardCharsets.UTF_8);
        byte[] p2 = (new String(text(128, 'a')) + "y".repeat(64)).getBytes(StandardCharsets.UTF_8);
        long[] h1 = hash("m", p1, 3);
        long[] h2 = hash("m", p2, 3);
        assertThat(h1[0]).isEqualTo(h2[0]);
        assertThat(h1[1]).isEqualTo(h2[1]);
        assertThat(h1[2]).isNotEqualTo(h2[2]);
        // identical blocks at different positions hash differently (chaining)
        assertThat(h1[0]).isNotEqualTo(h1[1]);
        long[] other = hash("other-model", p1, 3);
        assertThat(other[0]).isNotEqualTo(h1[0]);
    }

    @Test
    void matchCountsLeadingBlocksPerServer() {
        PrefixIndex index = new PrefixIndex(hasher, 100);
        long[] h = {1, 2, 3, 4};
        index.add("a", h, 4);
        index.add("b", h, 2);
        index.add("c", new long[] {2, 3}, 2);
        int[] out = new int[3];
        Map<String, Integer> pos = Map.of("a", 0, "b", 1, "c", 2);
        index.match(h, 4, s -> pos.getOrDefault(s, -1), out);
        assertThat(out).containsExactly(4, 2, 0);
    }

    @Test
    void lruEvictionRemovesTheServerFromTheHash() {
        PrefixIndex index = new PrefixIndex(hasher, 2);
        index.add("a", new long[] {1, 2, 3}, 3);
        assertThat(index.size("a")).isEqualTo(2);
        int[] out = new int[1];
        index.match(new long[] {1, 2, 3}, 3, s -> 0, out);
        assertThat(out[0]).as("hash 1 was evicted, so nothing matches from the start").isZero();
        index.match(new long[] {2, 3}, 2, s -> 0, out);
        assertThat(out[0]).isEqualTo(2);
        index.remove("a");
        int[] none = new int[1];
        index.match(new long[] {2, 3}, 2, s -> 0, none);
        assertThat(none[0]).isZero();
    }

    @Test
    void sharedBlocksAreAppliedOldestFirstSoTheNewestSurviveTheLru() {
        PrefixIndex index = new PrefixIndex(hasher, 3);
        long[] newestFirst = {50, 40, 30, 20, 10};
        index.addNewestFirst("s1", newestFirst, 5);
        assertThat(index.size("s1")).isEqualTo(3);
        int[] out = new int[1];
        index.match(new long[] {50, 40, 30}, 3, id -> id.equals("s1") ? 0 : -1, out);
        assertThat(out[0]).isEqualTo(3);
        out[0] = 0;
        index.match(new long[] {20}, 1, id -> id.equals("s1") ? 0 : -1, out);
        assertThat(out[0]).isZero();
        // a refreshed block becomes most recent: adding one more evicts 30, not 50
        index.addNewestFirst("s1", new long[] {50}, 1);
        index.addNewestFirst("s1", new long[] {60}, 1);
        out[0] = 0;
        index.match(new long[] {50}, 1, id -> id.equals("s1") ? 0 : -1, out);
        assertThat(out[0]).isEqualTo(1);
        out[0] = 0;
        index.match(new long[] {30}, 1, id -> id.equals("s1") ? 0 : -1, out);
        assertThat(out[0]).isZero();
    }
}
