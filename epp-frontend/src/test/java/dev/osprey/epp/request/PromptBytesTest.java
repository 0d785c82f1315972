package dev.osprey.epp.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The prompt's bytes kept as references and copies: joined in order, whatever mix of pieces was appended. */
class PromptBytesTest {

    @Test
    void joinsSharedRunsCopiesAndSingleBytesInOrder() {
        byte[] chunk = "x".repeat(100).concat("y".repeat(100)).getBytes(StandardCharsets.US_ASCII);
        PromptBytes p = new PromptBytes();
        p.appendShared(chunk, 0, 100);
        p.append((byte) '\n');
        p.appendShared(chunk, 100, 100);
        p.appendAscii("42");
        p.appendShared(chunk, 0, 3);
        assertThat(new String(p.toArray(), StandardCharsets.US_ASCII))
                .isEqualTo("x".repeat(100) + "\n" + "y".repeat(100) + "42xxx");
        assertThat(p.length()).isEqualTo(206);
    }

    @Test
    void growingTheLocalBufferKeepsEarlierPiecesIntact() {
        Random random = new Random(7);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        PromptBytes p = new PromptBytes();
        byte[] shared = new byte[4096];
        random.nextBytes(shared);
        byte[] scratch = new byte[200];
        for (int i = 0; i < 2000; i++) {
            int len = random.nextInt(200);
            if (random.nextBoolean()) {
                int off = random.nextInt(shared.length - len);
                p.appendShared(shared, off, len);
                expected.write(shared, off, len);
            } else {
                random.nextBytes(scratch);
                p.append(scratch, 0, len);
                expected.write(scratch, 0, len);
            }
        }
        assertThat(p.toArray()).isEqualTo(expected.toByteArray());
    }

    @Test
    void clearStartsOver() {
        PromptBytes p = new PromptBytes();
        p.appendAscii("old prompt");
        p.clear();
        p.appendAscii("new");
        assertThat(p.toArray()).isEqualTo("new".getBytes(StandardCharsets.US_ASCII));
    }
}
