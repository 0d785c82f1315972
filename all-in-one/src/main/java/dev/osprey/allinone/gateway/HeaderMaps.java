package dev.osprey.allinone.gateway;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;

/** Conversions between plain header maps (lower-case names) and Envoy's header protos. */
final class HeaderMaps {

    private HeaderMaps() {
    }

    /** Envoy sends values as {@code raw_value} bytes; so does this gateway. */
    static HeaderMap toProto(Map<String, String> headers) {
        HeaderMap.Builder map = HeaderMap.newBuilder();
        headers.forEach((k, v) -> map.addHeaders(HeaderValue.newBuilder().setKey(k)
                .setRawValue(ByteString.copyFrom(v, StandardCharsets.UTF_8))));
        return map.build();
    }

    /** Applies removals then sets of {@code mutation} to {@code headers} (names lower-cased). */
    static void apply(HeaderMutation mutation, Map<String, String> headers) {
        for (String removed : mutation.getRemoveHeadersList()) {
            headers.remove(removed.toLowerCase(Locale.ROOT));
        }
        for (HeaderValueOption option : mutation.getSetHeadersList()) {
            HeaderValue h = option.getHeader();
            String value = h.getRawValue().isEmpty() ? h.getValue() : h.getRawValue().toString(StandardCharsets.UTF_8);
            headers.put(h.getKey().toLowerCase(Locale.ROOT), value);
        }
    }

    /** The first value of each header, names lower-cased, in a mutable ordered map. */
    static Map<String, String> firstValues(Map<String, List<String>> multi) {
        Map<String, String> out = new LinkedHashMap<>();
        multi.forEach((k, v) -> {
            if (k != null && !v.isEmpty()) {
                out.put(k.toLowerCase(Locale.ROOT), v.get(0));
            }
        });
        return out;
    }
}
