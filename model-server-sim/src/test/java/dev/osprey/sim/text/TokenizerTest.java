package dev.osprey.sim.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenizerTest {

  @Test
  void countsOneTokenPerFourCharactersOfEachWord() {
    assertThat(Tokenizer.encode("a bb cccc ddddd")).hasSize(5);
    assertThat(Tokenizer.count("a bb cccc ddddd")).isEqualTo(5);
    assertThat(Tokenizer.encode("  \n ")).isEmpty();
  }

  @Test
  void equalTextGivesEqualIdsAndSharedPrefixesShareIds() {
    int[] a = Tokenizer.encode("the quick brown fox jumps");
    int[] b = Tokenizer.encode("the quick brown cat sleeps");
    assertThat(Tokenizer.encode("the quick brown fox jumps")).isEqualTo(a);
    assertThat(a[0]).isEqualTo(b[0]);
    assertThat(a[3]).isEqualTo(b[3]);
    assertThat(a[a.length - 1]).isNotEqualTo(b[b.length - 1]);
  }

  @Test
  void syntheticOutputRetokenizesToTheSameIds() {
    long seed = SyntheticText.seedOf(new int[] {1, 2, 3}, 42);
    int[] ids = Tokenizer.encode(SyntheticText.text(seed, 20));
    assertThat(ids).hasSize(20);
    for (int i = 0; i < 20; i++) {
      assertThat(ids[i]).isEqualTo(SyntheticText.tokenId(seed, i));
    }
  }
}
