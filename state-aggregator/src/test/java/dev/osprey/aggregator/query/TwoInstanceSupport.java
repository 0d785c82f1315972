package dev.osprey.aggregator.query;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.utils.Utils;

/** What the two-instance integration tests share: pool ids spread over every partition and a query call. */
final class TwoInstanceSupport {

    private TwoInstanceSupport() {
    }

    /**
     * Two pool ids per partition of a topic with {@code partitions} partitions (Kafka's default partitioner), so
     * every instance owns some of them whatever the assignment.
     */
    static List<String> poolsCoveringEveryPartition(String namePrefix, int partitions) {
        Map<Integer, List<String>> byPartition = new TreeMap<>();
        for (int i = 0; byPartition.values().stream().mapToInt(List::size).sum() < 2 * partitions; i++) {
            String pool = "c1/ns/" + namePrefix + i;
            int partition = Utils.toPositive(Utils.murmur2(pool.getBytes(StandardCharsets.UTF_8))) % partitions;
            List<String> members = byPartition.computeIfAbsent(partition, p -> new ArrayList<>());
            if (members.size() < 2) {
                members.add(pool);
            }
        }
        return byPartition.values().stream().flatMap(List::stream).toList();
    }

    /** GET {@code path} on an instance's query API. */
    static HttpResponse<String> get(HttpClient http, URI base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
