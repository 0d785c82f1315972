package dev.osprey.epp.scheduling.prefix;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Chained 64-bit hashes of a prompt's blocks, as upstream's approximate prefix cache: a block is
 * {@code blockSizeTokens × 4} bytes (4 characters per token, 64 bytes by default); a prompt shorter than one block
 * has no hashes; the prompt is truncated to {@code maxBlocks} blocks; a trailing partial block is hashed too.
 * {@code h₀} is seeded by the target model and {@code hᵢ = H(blockᵢ, hᵢ₋₁)}, so equal hashes mean equal prefixes
 * (up to collisions) of the same model. H is a multiply-rotate mix over 8-byte little-endian words with a final
 * avalanche (not byte-compatible with upstream's xxhash64; the index is in-memory, so only self-consistency
 * matters). Immutable and thread-safe.
 */
public final class PrefixHasher {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;

    private final int blockBytes;
    private final int maxBlocks;

    /**
     * @param blockSizeTokens tokens per block (upstream 16)
     * @param maxBlocks most blocks hashed per prompt (upstream 256)
     */
    public PrefixHasher(int blockSizeTokens, int maxBlocks) {
        if (blockSizeTokens < 1 || maxBlocks < 1) {
            throw new IllegalArgumentException("blockSizeTokens and maxBlocks must be positive");
        }
        this.blockBytes = blockSizeTokens * 4;
        this.maxBlocks = maxBlocks;
    }

    public int blockBytes() {
        return blockBytes;
    }

    public int maxBlocks() {
        return maxBlocks;
    }

    /**
     * Hashes {@code prompt} for {@code model} into {@code out} (at least {@link #maxBlocks()} long).
     *
     * @return the number of hashes written
     */
    public int hash(String model, byte[] prompt, long[] out) {
        if (prompt.length < blockBytes) {
            return 0;
        }
        int len = (int) Math.min(prompt.length, (long) maxBlocks * blockBytes);
        long h = seed(model);
        int n = 0;
        for (int off = 0; off < len; off += blockBytes) {
            h = block(prompt, off, Math.min(blockBytes, len - off), h);
            out[n++] = h;
        }
        return n;
    }

    static long seed(String model) {
        byte[] b = model.getBytes(StandardCharsets.UTF_8);
        return block(b, 0, b.length, P3);
    }

    static long block(byte[] b, int off, int len, long prev) {
        long h = prev * P1 + len * P2 + P4;
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            long w = (long) LONGS.get(b, i);
            h ^= Long.rotateLeft(w * P2, 31) * P1;
            h = Long.rotateLeft(h, 27) * P1 + P4;
        }
        for (; i < end; i++) {
            h ^= (b[i] & 0xffL) * P3;
            h = Long.rotateLeft(h, 11) * P1;
        }
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        return h ^ (h >>> 32);
    }
}
