package dev.osprey.epp.extproc;

import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Reads an Envoy {@link HeaderMap} into a map with lower-case names; {@code raw_value} wins over {@code value}. */
final class Headers {

    private Headers() {
    }

    static Map<String, String> toMap(HeaderMap map) {
        Map<String, String> out = new HashMap<>(map.getHeadersCount() * 2);
        for (HeaderValue h : map.getHeadersList()) {
            String value = h.getRawValue().isEmpty() ? h.getValue() : h.getRawValue().toString(StandardCharsets.UTF_8);
            out.merge(h.getKey().toLowerCase(Locale.ROOT), value, (a, b) -> a + "," + b);
        }
        return out;
    }
}
