package dev.osprey.bench.live;

/**
 * Renders a generated request's prompt tokens as text the simulator tokenizes back into exactly as many tokens: each
 * token id becomes a distinct three-character word followed by a space. The simulator counts a word of up to four
 * characters as one token (docs/simulator.md), and the EPP's prefix hashing reads 4 bytes per token in 16-token
 * (64-byte) blocks, so both see the same block boundaries, and equal token prefixes give equal text prefixes.
 */
final class PromptText {

    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
            .toCharArray();
    private static final int BASE = ALPHABET.length;

    /** Bytes of text per token. */
    static final int BYTES_PER_TOKEN = 4;

    private PromptText() {
    }

    /** The text of {@code tokens}: one word per token; distinct ids in 0..238,327 give distinct words. */
    static String of(int[] tokens) {
        StringBuilder sb = new StringBuilder(tokens.length * BYTES_PER_TOKEN);
        for (int t : tokens) {
            int v = Math.floorMod(t, BASE * BASE * BASE);
            sb.append(ALPHABET[v / (BASE * BASE)]).append(ALPHABET[(v / BASE) % BASE]).append(ALPHABET[v % BASE])
                    .append(' ');
        }
        return sb.toString();
    }
}
