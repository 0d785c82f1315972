package dev.osprey.bench.sim;

import dev.osprey.api.Criticality;
import dev.osprey.sim.engine.GenerationRequest;

/**
 * One generated request, identical for every strategy of a run. Prompt tokens are built on demand (a shared
 * prefix is the same token sequence for every request of its group; the rest is unique or per user).
 *
 * @param index position in arrival order
 * @param stage index of the ladder stage it arrived in
 * @param arrivalNanos virtual arrival time
 * @param group shared-prefix group, or -1
 * @param user user within the group (its question is fixed per user), or -1
 * @param prefixTokens shared-prefix length
 * @param questionTokens length after the prefix
 * @param outputTokens tokens to generate
 * @param adapter LoRA adapter, or null for the base model
 * @param criticality request criticality
 * @param tokenSeed seed of the question tokens
 */
public record SimRequest(int index, int stage, long arrivalNanos, int group, int user, int prefixTokens,
        int questionTokens, int outputTokens, String adapter, Criticality criticality, long tokenSeed) {

    /** Prompt length in tokens. */
    public int promptTokens() {
        return prefixTokens + questionTokens;
    }

    /** The engine request (prompt tokens materialised now). */
    public GenerationRequest toGeneration(long scenarioSeed) {
        return new GenerationRequest("req-" + index, adapter, tokens(scenarioSeed), outputTokens, true, tokenSeed);
    }

    /**
     * The prompt as a picker sees it: 4 bytes per token (little-endian token id), so byte-level prefix hashing
     * with 4 bytes per token lines up with the engine's token blocks.
     */
    public byte[] promptBytes(long scenarioSeed) {
        int[] tokens = tokens(scenarioSeed);
        byte[] bytes = new byte[tokens.length * 4];
        for (int i = 0; i < tokens.length; i++) {
            int t = tokens[i];
            bytes[4 * i] = (byte) t;
            bytes[4 * i + 1] = (byte) (t >>> 8);
            bytes[4 * i + 2] = (byte) (t >>> 16);
            bytes[4 * i + 3] = (byte) (t >>> 24);
        }
        return bytes;
    }

    /** Prompt token ids: the group's shared prefix, then the question. */
    public int[] tokens(long scenarioSeed) {
        int[] tokens = new int[promptTokens()];
        for (int i = 0; i < prefixTokens; i++) {
            tokens[i] = tokenId(scenarioSeed * 31 + group, i);
        }
        for (int i = 0; i < questionTokens; i++) {
            tokens[prefixTokens + i] = tokenId(tokenSeed, i);
        }
        return tokens;
    }

    private static int tokenId(long seed, int position) {
        long z = seed * 0x9E3779B97F4A7C15L + position * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return 1000 + (int) Math.floorMod(z, 120_000L);
    }
}
