package dev.osprey.sim.text;

import java.util.Arrays;

/**
 * Deterministic stand-in for a real tokenizer: text is split on whitespace and every word becomes
 * {@code ceil(length / 4)} tokens, one per 4-character piece (about 4 characters per token, like
 * English text under a BPE tokenizer). A token's id is a hash of its piece and of whether the piece
 * starts a word, so equal text always yields equal ids and identical prefixes share KV blocks.
 *
 * <p>Stateless and thread-safe.
 */
public final class Tokenizer {

  /** Characters per token within a word. */
  public static final int CHARS_PER_TOKEN = 4;

  private Tokenizer() {
  }

  /** Token ids of {@code text}; empty for blank text. */
  public static int[] encode(String text) {
    int[] out = new int[Math.max(4, text.length() / 3)];
    int n = 0;
    int i = 0;
    int len = text.length();
    while (i < len) {
      while (i < len && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < len && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      for (int p = start; p < i; p += CHARS_PER_TOKEN) {
        if (n == out.length) {
          out = Arrays.copyOf(out, out.length * 2);
        }
        out[n++] = pieceId(text, p, Math.min(i, p + CHARS_PER_TOKEN), p == start);
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** Number of tokens {@link #encode} would return, without allocating. */
  public static int count(String text) {
    int n = 0;
    int i = 0;
    int len = text.length();
    while (i < len) {
      while (i < len && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < len && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      n += (i - start + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
    }
    return n;
  }

  /** Id of a word of at most 4 characters, as it appears after whitespace. */
  public static int wordId(String word) {
    return pieceId(word, 0, word.length(), true);
  }

  private static int pieceId(CharSequence text, int from, int to, boolean wordStart) {
    int h = wordStart ? 0x5bd1e995 : 0x1b873593;
    for (int k = from; k < to; k++) {
      h = (h ^ text.charAt(k)) * 0x01000193;
    }
    h ^= h >>> 15;
    h *= 0x2c1b3c6d;
    h ^= h >>> 12;
    return h & 0x7fffffff;
  }
}
