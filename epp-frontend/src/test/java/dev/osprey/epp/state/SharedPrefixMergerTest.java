package dev.osprey.epp.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SharedPrefixMergerTest {

    private record Merge(String endpointId, List<Long> hashes) {
    }

    private final List<Merge> merges = new ArrayList<>();
    private final SharedPrefixMerger merger = new SharedPrefixMerger(
            (id, hashes, n) -> merges.add(new Merge(id, Arrays.stream(hashes, 0, n).boxed().toList())));

    private static PoolSnapshot pool(String... hostPorts) {
        List<EndpointSnapshot> eps = new ArrayList<>();
        for (String hp : hostPorts) {
            String ip = hp.substring(0, hp.indexOf(':'));
            eps.add(EndpointSnapshot.of("local/ns/pod-" + ip + ":8000", ip, 8000, 0, 0, 0, 1));
        }
        return new PoolSnapshot("local/ns/pool", 1, 1, eps);
    }

    private static String packed(long... hashes) {
        ByteBuffer b = ByteBuffer.allocate(hashes.length * 8);
        for (long h : hashes) {
            b.putLong(h);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    private static byte[] json(Map<String, String> blocks) {
        StringBuilder sb = new StringBuilder("{\"poolId\":\"local/ns/pool\",\"producedAtMs\":5,\"ttlMs\":600000,"
                + "\"blocksByEndpoint\":{");
        blocks.forEach((k, v) -> sb.append('"').append(k).append("\":\"").append(v).append("\","));
        if (!blocks.isEmpty()) {
            sb.setLength(sb.length() - 1);
        }
        return sb.append("}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void decodesTheAggregatorsSnapshotJson() {
        Map<String, String> blocks = new LinkedHashMap<>();
        blocks.put("10.0.0.1:8000", packed(3, -2, Long.MAX_VALUE));
        blocks.put("10.0.0.2:8000", packed());
        Map<String, long[]> decoded = SharedPrefixDecoder.decode(json(blocks));
        assertThat(decoded.get("10.0.0.1:8000")).containsExactly(3, -2, Long.MAX_VALUE);
        assertThat(decoded.get("10.0.0.2:8000")).isEmpty();
    }

    @Test
    void rejectsGarbageNamingTheField() {
        assertThatThrownBy(() -> SharedPrefixDecoder.decode("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> SharedPrefixDecoder.decode("{\"poolId\":\"p\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("blocksByEndpoint");
        assertThatThrownBy(() -> SharedPrefixDecoder.decode(json(Map.of("10.0.0.1:8000", "%%%"))))
                .hasMessageContaining("blocksByEndpoint.10.0.0.1:8000");
        assertThatThrownBy(() -> SharedPrefixDecoder.decode(json(Map.of("10.0.0.1:8000",
                Base64.getEncoder().encodeToString(new byte[12]))))).hasMessageContaining("12 bytes");
    }

    @Test
    void mergesOnlyWhatIsNewSinceTheLastSnapshotMappedToEndpointIds() {
        PoolSnapshot pool = pool("10.0.0.1:8000", "10.0.0.2:8000");
        int n = merger.merge(Map.of("10.0.0.1:8000", new long[] {30, 20, 10}), pool);
        assertThat(n).isEqualTo(3);
        assertThat(merges).containsExactly(new Merge("local/ns/pod-10.0.0.1:8000", List.of(30L, 20L, 10L)));
        merges.clear();

        // two blocks routed since (one new, one refreshed), then the unchanged rest
        n = merger.merge(Map.of("10.0.0.1:8000", new long[] {40, 10, 30, 20}), pool);
        assertThat(n).isEqualTo(2);
        assertThat(merges).containsExactly(new Merge("local/ns/pod-10.0.0.1:8000", List.of(40L, 10L)));
        merges.clear();

        // nothing new: nothing merged
        assertThat(merger.merge(Map.of("10.0.0.1:8000", new long[] {40, 10, 30, 20}), pool)).isZero();
        assertThat(merges).isEmpty();
    }

    @Test
    void endpointsOutsideThePoolAreSkippedAndMergedOnceTheyJoin() {
        Map<String, long[]> blocks = Map.of("10.0.0.9:8000", new long[] {7, 6});
        assertThat(merger.merge(blocks, pool("10.0.0.1:8000"))).isZero();
        assertThat(merger.merge(blocks, pool("10.0.0.1:8000", "10.0.0.9:8000"))).isEqualTo(2);
        assertThat(merges).containsExactly(new Merge("local/ns/pod-10.0.0.9:8000", List.of(7L, 6L)));
    }

    @Test
    void anEndpointWhoseBlocksAllExpiredStartsOverWhenItReappears() {
        PoolSnapshot pool = pool("10.0.0.1:8000");
        merger.merge(Map.of("10.0.0.1:8000", new long[] {2, 1}), pool);
        merger.merge(Map.of(), pool);
        merges.clear();
        assertThat(merger.merge(Map.of("10.0.0.1:8000", new long[] {2, 1}), pool)).isEqualTo(2);
    }
}
