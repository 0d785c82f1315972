package dev.osprey.epp.extproc;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.osprey.epp.state.EndpointSnapshot;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The gateway's subset hint, {@code filter_metadata["envoy.lb.subset_hint"]["x-gateway-destination-endpoint-subset"]}:
 * a list of {@code ip:port} strings (a comma-separated string is accepted too). Absent means every endpoint is a
 * candidate; present and empty means none is. An entry {@code ip:port} matches that endpoint exactly; a bare
 * {@code ip} matches every port of that address.
 */
record SubsetHint(Optional<Set<String>> entries) {

    static final String NAMESPACE = "envoy.lb.subset_hint";
    static final String KEY = "x-gateway-destination-endpoint-subset";

    static final SubsetHint ALL = new SubsetHint(Optional.empty());

    /** The hint in {@code metadata}, or {@link #ALL} when absent. */
    static SubsetHint from(Metadata metadata) {
        Struct ns = metadata.getFilterMetadataMap().get(NAMESPACE);
        if (ns == null || !ns.containsFields(KEY)) {
            return ALL;
        }
        Value v = ns.getFieldsOrThrow(KEY);
        Set<String> out = new HashSet<>();
        switch (v.getKindCase()) {
            case LIST_VALUE -> v.getListValue().getValuesList().forEach(e -> addAll(out, e.getStringValue()));
            case STRING_VALUE -> addAll(out, v.getStringValue());
            default -> { }
        }
        return new SubsetHint(Optional.of(Set.copyOf(out)));
    }

    private static void addAll(Set<String> out, String csv) {
        for (String s : csv.split(",")) {
            String t = s.trim();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
    }

    /** The endpoint filter this hint means. */
    Predicate<EndpointSnapshot> filter() {
        if (entries.isEmpty()) {
            return e -> true;
        }
        Set<String> set = entries.get();
        return e -> set.contains(e.hostPort()) || set.contains(e.address());
    }
}
