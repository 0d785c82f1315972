package dev.osprey.sim.text;

/**
 * The simulated model's output: a deterministic sequence of short words chosen from a seed. Every
 * word is at most 4 characters, so each is exactly one {@link Tokenizer} token, and sending the
 * output back in a later prompt reproduces the same token ids (multi-turn chats hit the prefix cache).
 *
 * <p>Stateless and thread-safe.
 */
public final class SyntheticText {

  private static final String[] WORDS = {
      "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "be",
      "by", "on", "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have",
      "an", "had", "they", "you", "were", "one", "all", "we", "can", "her", "has", "more", "will",
      "if", "no", "when", "so", "what", "out", "up", "into", "time", "some", "them", "only", "new",
      "may", "also", "than", "then", "its", "two", "like", "make", "sim", "data", "fast"};

  private static final int[] IDS = new int[WORDS.length];

  static {
    for (int i = 0; i < WORDS.length; i++) {
      if (WORDS[i].length() > Tokenizer.CHARS_PER_TOKEN) {
        WORDS[i] = WORDS[i].substring(0, Tokenizer.CHARS_PER_TOKEN);
      }
      IDS[i] = Tokenizer.wordId(WORDS[i]);
    }
  }

  private SyntheticText() {
  }

  /** Seed of a request's output, derived from its prompt so equal prompts give equal outputs. */
  public static long seedOf(int[] promptTokens, long globalSeed) {
    long h = globalSeed * 0x9E3779B97F4A7C15L;
    for (int t : promptTokens) {
      h = (h ^ t) * 0x100000001B3L;
    }
    return h;
  }

  private static int index(long seed, int position) {
    long z = seed + (position + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return (int) Math.floorMod(z, (long) WORDS.length);
  }

  /** Text of output token {@code position} (0-based), with its leading space. */
  public static String tokenText(long seed, int position) {
    return " " + WORDS[index(seed, position)];
  }

  /** Token id of output token {@code position}, equal to what {@link Tokenizer} gives its text. */
  public static int tokenId(long seed, int position) {
    return IDS[index(seed, position)];
  }

  /** The first {@code count} output tokens as one string. */
  public static String text(long seed, int count) {
    StringBuilder sb = new StringBuilder(count * 5);
    for (int i = 0; i < count; i++) {
      sb.append(tokenText(seed, i));
    }
    return sb.toString();
  }
}
