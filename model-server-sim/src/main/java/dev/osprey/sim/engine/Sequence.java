package dev.osprey.sim.engine;

import dev.osprey.sim.text.SyntheticText;
import java.util.Arrays;

/** Mutable engine-side state of one request. Owned and guarded by its {@link Engine}. */
final class Sequence {

  final GenerationRequest request;
  final int[] prompt;
  final int targetOutput;
  final long arrivalNanos;
  private final int blockSize;
  private final long salt;
  private int[] blocks = new int[4];
  private int numBlocks;
  private long[] hashes = new long[4];
  private int numHashes;
  int registeredBlocks;
  int generated;
  int computed;
  int scheduledTokens;
  int cachedTokens = -1;
  int preemptions;
  long firstScheduledNanos = -1;
  long firstTokenNanos = -1;
  long lastTokenNanos = -1;
  boolean cancelled;

  Sequence(GenerationRequest request, int targetOutput, long arrivalNanos, int blockSize) {
    this.request = request;
    this.prompt = request.promptTokens();
    this.targetOutput = targetOutput;
    this.arrivalNanos = arrivalNanos;
    this.blockSize = blockSize;
    String key = request.adapter() == null ? "" : request.adapter();
    this.salt = 0x84222325CBF29CE4L ^ ((long) key.hashCode() << 17) ^ key.length();
  }

  String id() {
    return request.requestId();
  }

  String adapter() {
    return request.adapter();
  }

  /** Prompt plus generated tokens: everything whose KV must eventually be computed. */
  int known() {
    return prompt.length + generated;
  }

  int tokenAt(int i) {
    return i < prompt.length ? prompt[i]
        : SyntheticText.tokenId(request.outputSeed(), i - prompt.length);
  }

  int numBlocks() {
    return numBlocks;
  }

  int block(int i) {
    return blocks[i];
  }

  void addBlock(int block) {
    if (numBlocks == blocks.length) {
      blocks = Arrays.copyOf(blocks, blocks.length * 2);
    }
    blocks[numBlocks++] = block;
  }

  /** Forgets the block table (the caller has released the blocks). */
  void clearBlocks() {
    numBlocks = 0;
    registeredBlocks = 0;
  }

  /**
   * Chained hash of full block {@code index}: it covers every token up to the block's end and the
   * adapter (or base model), so equal hashes mean equal prefixes. Requires the block to be full.
   */
  long blockHash(int index) {
    while (numHashes <= index) {
      int b = numHashes;
      long h = b == 0 ? salt : hashes[b - 1];
      for (int i = b * blockSize, end = i + blockSize; i < end; i++) {
        h = (h ^ tokenAt(i)) * 0x100000001B3L;
        h ^= h >>> 29;
      }
      if (numHashes == hashes.length) {
        hashes = Arrays.copyOf(hashes, hashes.length * 2);
      }
      hashes[numHashes++] = h * 0x9E3779B97F4A7C15L;
    }
    return hashes[index];
  }
}
