package dev.osprey.epp.extproc;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import java.util.Optional;

/**
 * Reads the endpoint that actually served a request, reported by the data plane on response messages as
 * {@code filter_metadata["envoy.lb"]["x-gateway-destination-endpoint-served"]} (protocol v1.0.0).
 */
final class ServedEndpoint {

    static final String KEY = "x-gateway-destination-endpoint-served";

    private ServedEndpoint() {
    }

    static Optional<String> from(Metadata metadata) {
        Struct lb = metadata.getFilterMetadataMap().get(Responses.LB_NAMESPACE);
        if (lb == null) {
            return Optional.empty();
        }
        Value v = lb.getFieldsMap().get(KEY);
        if (v == null || v.getKindCase() != Value.KindCase.STRING_VALUE || v.getStringValue().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(v.getStringValue().trim());
    }
}
