package dev.osprey.epp.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes one value of the aggregator's compacted {@code <prefix>prefix-index} topic (its
 * {@code PrefixIndexSnapshot} JSON): {@code blocksByEndpoint} maps {@code ip:port} to the endpoint's block hashes,
 * most recently routed first, as big-endian 8-byte longs in Base64. Other fields are ignored. Thread-safe.
 */
final class SharedPrefixDecoder {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SharedPrefixDecoder() {
    }

    /**
     * @return {@code ip:port} → hashes newest first (empty when every block of the pool expired)
     * @throws IllegalArgumentException naming what is wrong when the value is not such a snapshot
     */
    static Map<String, long[]> decode(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode blocks = root.get("blocksByEndpoint");
        if (blocks == null || !blocks.isObject()) {
            throw new IllegalArgumentException("blocksByEndpoint: missing or not an object");
        }
        Map<String, long[]> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = blocks.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException("blocksByEndpoint." + e.getKey() + ": not a Base64 string");
            }
            byte[] packed;
            try {
                packed = Base64.getDecoder().decode(e.getValue().textValue());
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("blocksByEndpoint." + e.getKey() + ": " + bad.getMessage(), bad);
            }
            if (packed.length % Long.BYTES != 0) {
                throw new IllegalArgumentException("blocksByEndpoint." + e.getKey() + ": " + packed.length
                        + " bytes is not a whole number of 8-byte hashes");
            }
            ByteBuffer buffer = ByteBuffer.wrap(packed);
            long[] hashes = new long[packed.length / Long.BYTES];
            for (int i = 0; i < hashes.length; i++) {
                hashes[i] = buffer.getLong();
            }
            out.put(e.getKey(), hashes);
        }
        return out;
    }
}
