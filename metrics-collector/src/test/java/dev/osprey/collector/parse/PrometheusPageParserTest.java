package dev.osprey.collector.parse;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusPageParserTest {

    private static final PrometheusPageParser VLLM = PrometheusPageParser.forEngine(EngineType.VLLM);

    private static ParsedMetrics parsed(PrometheusPageParser parser, String page) {
        ParseResult result = parser.parse(page.getBytes(StandardCharsets.UTF_8));
        assertThat(result).isInstanceOf(ParseResult.Parsed.class);
        return ((ParseResult.Parsed) result).metrics();
    }

    private static String failure(PrometheusPageParser parser, String page) {
        ParseResult result = parser.parse(page.getBytes(StandardCharsets.UTF_8));
        assertThat(result).isInstanceOf(ParseResult.Failed.class);
        return ((ParseResult.Failed) result).reason();
    }

    @Test
    void readsEverySignalOfARealisticVllmPage() {
        ParseResult result = VLLM.parse(Pages.bytes("vllm.txt"));

        assertThat(result).isInstanceOf(ParseResult.Parsed.class);
        assertThat(((ParseResult.Parsed) result).malformedLines()).isZero();
        ParsedMetrics m = ((ParseResult.Parsed) result).metrics();
        assertThat(m.waitingRequests()).isEqualTo(3);
        assertThat(m.runningRequests()).isEqualTo(7);
        assertThat(m.kvCacheUtilization()).isEqualTo(0.4375);
        assertThat(m.blockSize()).hasValue(16);
        assertThat(m.numGpuBlocks()).hasValue(27153L);
        assertThat(m.prefixCacheQueries()).hasValue(1_845_120.0);
        assertThat(m.prefixCacheHits()).hasValue(912_384.0);
        assertThat(m.maxLoraSlots()).hasValue(4);
    }

    @Test
    void takesTheNewestLoraSeriesAndCleansItsLists() {
        ParsedMetrics m = VLLM.parse(Pages.bytes("vllm.txt")) instanceof ParseResult.Parsed p ? p.metrics() : null;

        assertThat(m).isNotNull();
        assertThat(m.runningLoraAdapters()).containsExactly("sql-lora", "tweet-lora", "chat-lora");
        assertThat(m.waitingLoraAdapters()).containsExactly("math-lora");
    }

    @Test
    void fallsBackToTheOlderGpuCacheMetric() {
        String page = "vllm:num_requests_waiting 1\nvllm:num_requests_running 2\nvllm:gpu_cache_usage_perc 0.5\n";

        assertThat(parsed(VLLM, page).kvCacheUtilization()).isEqualTo(0.5);
    }

    @Test
    void prefersTheNewKvMetricWhereverItAppears() {
        String page = "vllm:gpu_cache_usage_perc 0.9\nvllm:num_requests_waiting 1\nvllm:num_requests_running 2\n"
                + "vllm:kv_cache_usage_perc 0.25\n";

        assertThat(parsed(VLLM, page).kvCacheUtilization()).isEqualTo(0.25);
    }

    @Test
    void readsSglang() {
        ParsedMetrics m = parsed(PrometheusPageParser.forEngine(EngineType.SGLANG), Pages.text("sglang.txt"));

        assertThat(m.waitingRequests()).isEqualTo(2);
        assertThat(m.runningRequests()).isEqualTo(5);
        assertThat(m.kvCacheUtilization()).isEqualTo(0.28);
        assertThat(m.blockSize()).hasValue(1);
        assertThat(m.numGpuBlocks()).hasValue(442_356L);
        assertThat(m.runningLoraAdapters()).isEmpty();
        assertThat(m.maxLoraSlots()).isEmpty();
        assertThat(m.prefixCacheHits()).isEmpty();
    }

    @Test
    void readsTritonByRequestAndBlockTypeLabels() {
        ParsedMetrics m = parsed(PrometheusPageParser.forEngine(EngineType.TRITON), Pages.text("triton.txt"));

        assertThat(m.waitingRequests()).isEqualTo(4);
        assertThat(m.runningRequests()).isEqualTo(6);
        assertThat(m.kvCacheUtilization()).isEqualTo(0.625);
        assertThat(m.blockSize()).hasValue(64);
        assertThat(m.numGpuBlocks()).hasValue(6239L);
    }

    @Test
    void readsTrtllmServe() {
        ParsedMetrics m = parsed(PrometheusPageParser.forEngine(EngineType.TRTLLM_SERVE), Pages.text("trtllm-serve.txt"));

        assertThat(m.waitingRequests()).isZero();
        assertThat(m.runningRequests()).isEqualTo(9);
        assertThat(m.kvCacheUtilization()).isEqualTo(0.125);
        assertThat(m.blockSize()).hasValue(32);
        assertThat(m.numGpuBlocks()).hasValue(12_288L);
    }

    @Test
    void aPageOfAnotherEngineIsAParseFailureNamingTheMissingMetrics() {
        String reason = failure(VLLM, Pages.text("sglang.txt"));

        assertThat(reason).contains("vllm:num_requests_waiting", "vllm:num_requests_running",
                "vllm:kv_cache_usage_perc");
    }

    @Test
    void emptyAndHtmlPagesFail() {
        assertThat(VLLM.parse(new byte[0])).isInstanceOf(ParseResult.Failed.class);
        failure(VLLM, "<html><body>404 page not found</body></html>");
    }

    @Test
    void firstOfDuplicateSeriesWins() {
        String page = "vllm:num_requests_waiting{model_name=\"a\"} 4\nvllm:num_requests_waiting{model_name=\"a\"} 9\n"
                + "vllm:num_requests_running 2\nvllm:kv_cache_usage_perc 0.1\n";

        assertThat(parsed(VLLM, page).waitingRequests()).isEqualTo(4);
    }

    @Test
    void skipsNanInfNegativeAndTruncatedLinesAndCountsThem() {
        String page = "vllm:num_requests_waiting NaN\n"
                + "vllm:num_requests_waiting +Inf\n"
                + "vllm:num_requests_waiting -3\n"
                + "vllm:num_requests_waiting{model_name=\"trunc\n"
                + "vllm:num_requests_waiting{model_name=\"x\"}\n"
                + "vllm:num_requests_waiting 5\n"
                + "vllm:num_requests_running 2\nvllm:kv_cache_usage_perc 0.1\n";

        ParseResult result = VLLM.parse(page.getBytes(StandardCharsets.UTF_8));

        assertThat(result).isInstanceOf(ParseResult.Parsed.class);
        assertThat(((ParseResult.Parsed) result).metrics().waitingRequests()).isEqualTo(5);
        assertThat(((ParseResult.Parsed) result).malformedLines()).isEqualTo(5);
    }

    @Test
    void aRequiredSignalThatIsOnlyMalformedFailsAndSaysSo() {
        String reason = failure(VLLM, "vllm:num_requests_waiting NaN\nvllm:num_requests_running 2\n"
                + "vllm:kv_cache_usage_perc 0.1\n");

        assertThat(reason).contains("vllm:num_requests_waiting").contains("1 malformed");
    }

    @Test
    void handlesCrlfTimestampsEscapesAndSpacing() {
        String page = "vllm:num_requests_waiting{model_name=\"a \\\"quoted\\\" , name\",engine=\"0\",} 6 1712345678000\r\n"
                + "  vllm:num_requests_running  { engine = \"0\" }   2.5e0\r\n"
                + "vllm:kv_cache_usage_perc 1.7\r\n"
                + "vllm:num_requests_waiting_by_reason{reason=\"capacity\"} 99\r\n";

        ParsedMetrics m = parsed(VLLM, page);

        assertThat(m.waitingRequests()).isEqualTo(6);
        assertThat(m.runningRequests()).isEqualTo(3);
        assertThat(m.kvCacheUtilization()).isEqualTo(1.0);
    }

    @Test
    void survivesHugeLabelsAndBinaryGarbage() {
        StringBuilder page = new StringBuilder("vllm:num_requests_waiting{model_name=\"");
        page.append("x".repeat(1 << 20)).append("\"} 1\n");
        page.append("vllm:num_requests_running 2\nvllm:kv_cache_usage_perc 0.1\n");
        assertThat(parsed(VLLM, page.toString()).waitingRequests()).isEqualTo(1);

        java.util.Random random = new java.util.Random(42);
        byte[] garbage = new byte[64 * 1024];
        random.nextBytes(garbage);
        assertThat(VLLM.parse(garbage)).isInstanceOf(ParseResult.Failed.class);
    }

    @Test
    void neverThrowsOnMangledPages() {
        byte[] original = Pages.bytes("vllm.txt");
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 300; round++) {
            byte[] page = original.clone();
            int cuts = 1 + random.nextInt(40);
            for (int i = 0; i < cuts; i++) {
                String alphabet = "{}\"=,\\\n #:x0.e-";
                page[random.nextInt(page.length)] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
            }
            int length = random.nextInt(page.length + 1);
            ParseResult result = VLLM.parse(page, length);
            assertThat(result).isNotNull();
        }
    }

    @Test
    void loraSeriesWithoutNamesGiveEmptyLists() {
        String page = "vllm:num_requests_waiting 0\nvllm:num_requests_running 0\nvllm:kv_cache_usage_perc 0\n"
                + "vllm:lora_requests_info{max_lora=\"2\",running_lora_adapters=\"\",waiting_lora_adapters=\" , \"} 5\n";

        ParsedMetrics m = parsed(VLLM, page);

        assertThat(m.runningLoraAdapters()).isEmpty();
        assertThat(m.waitingLoraAdapters()).isEmpty();
        assertThat(m.maxLoraSlots()).hasValue(2);
    }

    @Test
    void theQuickNameFilterKeepsShortNamesLinesNearThePageEndAndIndentedLines() {
        PrometheusPageParser shortNames = PrometheusPageParser.of(MappingOverride.apply(
                EngineMapping.builtIn(EngineType.VLLM), "k", "waiting=q;running=run_now;kv-utilization=kv"));
        String page = "# HELP q queue\nqq 9\nq_total 8\nq 3\nrun_now_total 1\n   run_now 4\nkvx 0.9\nkv 0.25";

        ParsedMetrics m = parsed(shortNames, page);

        assertThat(m.waitingRequests()).isEqualTo(3);
        assertThat(m.runningRequests()).isEqualTo(4);
        assertThat(m.kvCacheUtilization()).isEqualTo(0.25);
    }

    @Test
    void parsesARangeInsideALargerBuffer() {
        byte[] page = "vllm:num_requests_waiting 1\nvllm:num_requests_running 2\nvllm:kv_cache_usage_perc 0.5\n"
                .getBytes(StandardCharsets.UTF_8);
        byte[] buffer = new byte[page.length + 200];
        java.util.Arrays.fill(buffer, (byte) 'x');
        System.arraycopy(page, 0, buffer, 100, page.length);

        ParseResult result = VLLM.parse(buffer, 100, 100 + page.length);

        assertThat(result).isInstanceOfSatisfying(ParseResult.Parsed.class,
                p -> assertThat(p.metrics().runningRequests()).isEqualTo(2));
    }
}
