package dev.osprey.epp.request;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;

/**
 * Scans a server-sent-events response as it streams by for {@code data: {...}} lines carrying a {@code usage}
 * object; the last one found wins. Lines may span chunks: the unfinished tail is kept (up to a cap, beyond which
 * the line is skipped). Only lines containing the bytes {@code "usage"} are parsed. Not thread-safe: one per
 * response.
 */
public final class SseUsageScanner {

    private static final byte[] USAGE = "\"usage\"".getBytes(StandardCharsets.US_ASCII);
    private static final ByteString DATA = ByteString.copyFromUtf8("data:");
    private static final int MAX_LINE = 1 << 20;

    private ByteString pending = ByteString.EMPTY;
    private boolean skippingLongLine;
    private Usage usage = Usage.NONE;

    /** Feeds the next chunk of the response body. */
    public void accept(ByteString chunk) {
        ByteString data = pending.concat(chunk);
        byte[] bytes = data.toByteArray();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                if (!skippingLongLine) {
                    line(data.substring(start, i));
                }
                skippingLongLine = false;
                start = i + 1;
            }
        }
        pending = data.substring(start);
        if (pending.size() > MAX_LINE) {
            pending = ByteString.EMPTY;
            skippingLongLine = true;
        }
    }

    /** The body ended: processes an unterminated last line. */
    public void finish() {
        if (!skippingLongLine && !pending.isEmpty()) {
            line(pending);
        }
        pending = ByteString.EMPTY;
    }

    /** The newest usage seen. */
    public Usage usage() {
        return usage;
    }

    private void line(ByteString line) {
        if (!line.startsWith(DATA) || indexOf(line.toByteArray(), USAGE, 0) < 0) {
            return;
        }
        Usage u = UsageParser.parse(line.substring(DATA.size()).newInput());
        if (u.known()) {
            usage = u;
        }
    }

    /** First index of {@code needle} in {@code haystack} at or after {@code from}, or -1. */
    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
