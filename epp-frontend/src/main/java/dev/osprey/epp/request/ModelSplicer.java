package dev.osprey.epp.request;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;

/**
 * Rewrites model names inside body bytes without re-serializing the document: in a request, only the bytes of the
 * {@code model} value are replaced; in a response, the literal {@code "model":"<from>"} and
 * {@code "model": "<from>"} are replaced. Stateless.
 */
public final class ModelSplicer {

    private ModelSplicer() {
    }

    /** {@code value} as a JSON string literal, quotes included. */
    public static ByteString quoted(String value) {
        byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(value);
        byte[] out = new byte[escaped.length + 2];
        out[0] = '"';
        System.arraycopy(escaped, 0, out, 1, escaped.length);
        out[out.length - 1] = '"';
        return ByteString.copyFrom(out);
    }

    /** {@code body} with the bytes {@code [start, end)} (the old quoted model value) replaced by {@code model}. */
    public static ByteString spliceRequest(ByteString body, long start, long end, String model) {
        if (start < 0 || end > body.size() || start >= end) {
            throw new IllegalArgumentException("model value range [" + start + ", " + end + ") outside body of "
                    + body.size() + " bytes");
        }
        return body.substring(0, (int) start).concat(quoted(model)).concat(body.substring((int) end));
    }

    /** Replaces every {@code "model":"from"} / {@code "model": "from"} in {@code bytes} by the same with {@code to}. */
    public static ByteString rewriteResponse(ByteString bytes, String from, String to) {
        ByteString q = quoted(from);
        ByteString r = quoted(to);
        ByteString compactFrom = ByteString.copyFrom("\"model\":", StandardCharsets.UTF_8).concat(q);
        ByteString spacedFrom = ByteString.copyFrom("\"model\": ", StandardCharsets.UTF_8).concat(q);
        ByteString out = replaceAll(bytes, compactFrom,
                ByteString.copyFrom("\"model\":", StandardCharsets.UTF_8).concat(r));
        return replaceAll(out, spacedFrom, ByteString.copyFrom("\"model\": ", StandardCharsets.UTF_8).concat(r));
    }

    static ByteString replaceAll(ByteString in, ByteString from, ByteString to) {
        byte[] hay = in.toByteArray();
        byte[] needle = from.toByteArray();
        int i = SseUsageScanner.indexOf(hay, needle, 0);
        if (i < 0) {
            return in;
        }
        ByteString out = ByteString.EMPTY;
        int last = 0;
        while (i >= 0) {
            out = out.concat(in.substring(last, i)).concat(to);
            last = i + needle.length;
            i = SseUsageScanner.indexOf(hay, needle, last);
        }
        return out.concat(in.substring(last));
    }
}
