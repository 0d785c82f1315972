package dev.osprey.collector.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.osprey.collector.CollectorConfig;
import org.junit.jupiter.api.Test;

class MappingOverrideTest {

    private static final String KEY = "osprey.collector.engine.vllm.mapping";

    private static final byte[] FORK_PAGE = """
            # TYPE myfork_queue gauge
            myfork_queue{state="waiting"} 9
            myfork_queue{state="running"} 4
            vllm:num_requests_waiting 1
            vllm:num_requests_running 2
            vllm:kv_cache_usage_perc 0.25
            myfork_cache_info{blocks="512"} 1
            """.getBytes(StandardCharsets.UTF_8);

    @Test
    void replacesOnlyTheListedSignals() {
        EngineMapping mapping = MappingOverride.apply(EngineMapping.builtIn(EngineType.VLLM), KEY,
                "waiting=absent_metric|myfork_queue{state=\"waiting\"}; num-gpu-blocks=myfork_cache_info#blocks");

        ParseResult result = PrometheusPageParser.of(mapping).parse(FORK_PAGE);

        assertThat(result).isInstanceOf(ParseResult.Parsed.class);
        ParsedMetrics metrics = ((ParseResult.Parsed) result).metrics();
        assertThat(metrics.waitingRequests()).isEqualTo(9);
        assertThat(metrics.runningRequests()).isEqualTo(2);
        assertThat(metrics.kvCacheUtilization()).isEqualTo(0.25);
        assertThat(mapping.primaryMetric(Signal.WAITING)).isEqualTo("absent_metric");
        assertThat(mapping.primaryMetric(Signal.NUM_GPU_BLOCKS)).isEqualTo("myfork_cache_info");
    }

    @Test
    void blankKeepsTheBuiltInMapping() {
        EngineMapping builtIn = EngineMapping.builtIn(EngineType.SGLANG);
        assertThat(MappingOverride.apply(builtIn, KEY, " ")).isSameAs(builtIn);
    }

    @Test
    void badSpecsNameTheKey() {
        EngineMapping vllm = EngineMapping.builtIn(EngineType.VLLM);
        assertThatThrownBy(() -> MappingOverride.apply(vllm, KEY, "queue=foo"))
                .hasMessageContaining(KEY).hasMessageContaining("queue");
        assertThatThrownBy(() -> MappingOverride.apply(vllm, KEY, "waiting"))
                .hasMessageContaining(KEY).hasMessageContaining("signal=selector");
        assertThatThrownBy(() -> MappingOverride.apply(vllm, KEY, "waiting=foo{bad}"))
                .hasMessageContaining(KEY).hasMessageContaining("foo{bad}");
        assertThatThrownBy(() -> MappingOverride.apply(vllm, KEY, "waiting=a;waiting=b"))
                .hasMessageContaining("each signal once");
    }

    @Test
    void configurationValidatesAndAppliesOverrides() {
        CollectorConfig config = CollectorConfig.fromMap(Map.of(CollectorConfig.BOOTSTRAP_SERVERS, "k:1",
                CollectorConfig.mappingKey(EngineType.VLLM), "waiting=myfork_queue{state=\"waiting\"}"));
        assertThat(config.engineMappings().get(EngineType.VLLM).primaryMetric(Signal.WAITING)).isEqualTo("myfork_queue");
        assertThat(config.engineMappings().get(EngineType.SGLANG)).isEqualTo(EngineMapping.builtIn(EngineType.SGLANG));
        assertThat(CollectorConfig.fromMap(config.toMap())).isEqualTo(config);

        assertThatThrownBy(() -> CollectorConfig.fromMap(Map.of(CollectorConfig.BOOTSTRAP_SERVERS, "k:1",
                "osprey.collector.engine.triton.mapping", "running=")))
                .hasMessageContaining("osprey.collector.engine.triton.mapping");
    }
}
