package dev.osprey.epp.request;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;

/** Splits bodies into chunks for {@code streamed_response}; substrings share the original bytes. */
public final class BodyChunks {

    /** Upstream's per-chunk limit, which leaves room under Envoy's 64 KiB per-message recommendation. */
    public static final int MAX_CHUNK_BYTES = 62_000;

    private BodyChunks() {
    }

    /** {@code body} in order as chunks of at most {@code max} bytes; one empty chunk for an empty body. */
    public static List<ByteString> split(ByteString body, int max) {
        if (max <= 0) {
            throw new IllegalArgumentException("max must be positive, got " + max);
        }
        List<ByteString> chunks = new ArrayList<>(body.size() / max + 1);
        if (body.isEmpty()) {
            chunks.add(ByteString.EMPTY);
            return chunks;
        }
        for (int off = 0; off < body.size(); off += max) {
            chunks.add(body.substring(off, Math.min(body.size(), off + max)));
        }
        return chunks;
    }
}
