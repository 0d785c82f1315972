package dev.osprey.allinone.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A client request body read chunk by chunk as it arrives, keeping a copy of what was read so the whole body can
 * still be forwarded without the EPP (FailOpen) after part of it went to the EPP. Confined to one handler thread.
 */
final class RecordingInput {

    private final InputStream in;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();
    private boolean ended;

    RecordingInput(InputStream in) {
        this.in = in;
    }

    /** The next chunk of at most {@code max} bytes as soon as any bytes are available; empty at the end. */
    byte[] next(int max) throws IOException {
        if (ended) {
            return new byte[0];
        }
        byte[] buffer = new byte[max];
        int n = in.read(buffer, 0, max);
        if (n < 0) {
            ended = true;
            return new byte[0];
        }
        copy.write(buffer, 0, n);
        return n == max ? buffer : java.util.Arrays.copyOf(buffer, n);
    }

    /** Whether the end of the body was reached. */
    boolean ended() {
        return ended;
    }

    /** The whole body: what was read so far plus the rest. */
    byte[] all() throws IOException {
        if (!ended) {
            copy.write(in.readAllBytes());
            ended = true;
        }
        return copy.toByteArray();
    }
}
