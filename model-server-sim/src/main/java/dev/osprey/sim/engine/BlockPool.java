package dev.osprey.sim.engine;

import java.util.HashMap;
import java.util.Map;

/**
 * The KV cache: a fixed number of blocks with reference counts, a prefix cache mapping chained
 * block hashes to blocks, and a free queue in least-recently-freed order. A free block keeps its
 * hash (and can still be hit) until it is handed out again, which evicts it. Not thread-safe.
 */
final class BlockPool {

  private final int numBlocks;
  private final int[] refCount;
  private final long[] hashOf;
  private final boolean[] hashed;
  private final int[] prev;
  private final int[] next;
  private final boolean[] inFree;
  private final Map<Long, Integer> cache = new HashMap<>();
  private final int head;
  private int free;

  BlockPool(int numBlocks) {
    this.numBlocks = numBlocks;
    refCount = new int[numBlocks];
    hashOf = new long[numBlocks];
    hashed = new boolean[numBlocks];
    prev = new int[numBlocks + 1];
    next = new int[numBlocks + 1];
    inFree = new boolean[numBlocks];
    head = numBlocks;
    prev[head] = head;
    next[head] = head;
    for (int b = 0; b < numBlocks; b++) {
      append(b);
    }
  }

  int total() {
    return numBlocks;
  }

  /** Blocks not referenced by any sequence (cached or empty). */
  int free() {
    return free;
  }

  /** Blocks referenced by at least one sequence. */
  int used() {
    return numBlocks - free;
  }

  int refCount(int block) {
    return refCount[block];
  }

  /** The block holding {@code hash}, or -1. */
  int cached(long hash) {
    Integer b = cache.get(hash);
    return b == null ? -1 : b;
  }

  /** Adds a reference to a cached block, taking it off the free queue if it was free. */
  void acquire(int block) {
    if (refCount[block]++ == 0) {
      unlink(block);
    }
  }

  /** Hands out the least recently freed block, evicting its hash. Caller checks {@link #free()}. */
  int allocate() {
    int b = next[head];
    if (b == head) {
      throw new IllegalStateException("no free KV block");
    }
    unlink(b);
    if (hashed[b]) {
      cache.remove(hashOf[b]);
      hashed[b] = false;
    }
    refCount[b] = 1;
    return b;
  }

  /** Drops a reference; at zero the block joins the tail of the free queue, keeping its hash. */
  void release(int block) {
    if (refCount[block] <= 0) {
      throw new IllegalStateException("block " + block + " released more often than acquired");
    }
    if (--refCount[block] == 0) {
      append(block);
    }
  }

  /** Records that a full block holds {@code hash}; ignored if another block already does. */
  void register(int block, long hash) {
    if (!hashed[block] && !cache.containsKey(hash)) {
      cache.put(hash, block);
      hashOf[block] = hash;
      hashed[block] = true;
    }
  }

  private void append(int b) {
    int last = prev[head];
    next[last] = b;
    prev[b] = last;
    next[b] = head;
    prev[head] = b;
    inFree[b] = true;
    free++;
  }

  private void unlink(int b) {
    if (!inFree[b]) {
      throw new IllegalStateException("block " + b + " is not free");
    }
    next[prev[b]] = next[b];
    prev[next[b]] = prev[b];
    inFree[b] = false;
    free--;
  }
}
