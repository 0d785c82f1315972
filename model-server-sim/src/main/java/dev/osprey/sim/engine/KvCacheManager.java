package dev.osprey.sim.engine;

import java.util.Arrays;

/**
 * Sequence-level KV-cache operations over a {@link BlockPool}: prefix lookup by chained block
 * hashes, admission checks, block allocation, hash registration of newly full blocks, and release.
 * Not thread-safe; owned by an {@link Engine}.
 */
final class KvCacheManager {

  private final BlockPool pool;
  private final int blockSize;
  private final boolean prefixCaching;

  KvCacheManager(int numBlocks, int blockSize, boolean prefixCaching) {
    this.pool = new BlockPool(numBlocks);
    this.blockSize = blockSize;
    this.prefixCaching = prefixCaching;
  }

  int blockSize() {
    return blockSize;
  }

  int totalBlocks() {
    return pool.total();
  }

  int usedBlocks() {
    return pool.used();
  }

  int blocksFor(int tokens) {
    return (tokens + blockSize - 1) / blockSize;
  }

  /**
   * Cached blocks matching the sequence's leading full blocks, at most {@code (known - 1) / 16} of
   * them so at least one token is left to compute. Acquires nothing.
   */
  int[] lookup(Sequence s) {
    if (!prefixCaching) {
      return new int[0];
    }
    int max = (s.known() - 1) / blockSize;
    int[] hits = new int[max];
    int n = 0;
    while (n < max) {
      int b = pool.cached(s.blockHash(n));
      if (b < 0) {
        break;
      }
      hits[n++] = b;
    }
    return Arrays.copyOf(hits, n);
  }

  /** True if a fresh sequence reusing {@code hits} can get blocks for {@code tokens} tokens. */
  boolean canAdmit(int[] hits, int tokens) {
    int freeHits = 0;
    for (int b : hits) {
      freeHits += pool.refCount(b) == 0 ? 1 : 0;
    }
    return blocksFor(tokens) - hits.length <= pool.free() - freeHits;
  }

  /** Gives a fresh sequence the cached blocks {@code hits}; they count as computed. */
  void adoptHits(Sequence s, int[] hits) {
    for (int b : hits) {
      pool.acquire(b);
      s.addBlock(b);
    }
    s.registeredBlocks = hits.length;
    s.computed = hits.length * blockSize;
  }

  /** Grows the sequence's block table to hold {@code tokens} tokens; false (and no change) if short. */
  boolean allocate(Sequence s, int tokens) {
    int need = blocksFor(tokens) - s.numBlocks();
    if (need > pool.free()) {
      return false;
    }
    for (int i = 0; i < need; i++) {
      s.addBlock(pool.allocate());
    }
    return true;
  }

  /** Publishes the hashes of blocks that became full, so later requests can hit them. */
  void registerFullBlocks(Sequence s) {
    if (!prefixCaching) {
      return;
    }
    int full = s.computed / blockSize;
    for (int j = s.registeredBlocks; j < full; j++) {
      pool.register(s.block(j), s.blockHash(j));
    }
    s.registeredBlocks = Math.max(s.registeredBlocks, full);
  }

  /** Releases every block of the sequence, tail first (so tail blocks are evicted first). */
  void release(Sequence s) {
    for (int i = s.numBlocks() - 1; i >= 0; i--) {
      pool.release(s.block(i));
    }
    s.clearBlocks();
  }
}
