package dev.osprey.epp.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BlockHashesTest {

    @Test
    void copiesThePrefixOfTheArrayAndViewsItAsAList() {
        long[] hashes = {5, -7, 9, 11};
        BlockHashes b = BlockHashes.copyOf(hashes, 3);
        hashes[0] = 99;
        assertThat(b.size()).isEqualTo(3);
        assertThat(b.get(0)).isEqualTo(5);
        assertThat(b.asList()).containsExactly(5L, -7L, 9L);
        assertThat(BlockHashes.copyOf(hashes, 0)).isSameAs(BlockHashes.NONE);
        assertThat(b).isEqualTo(BlockHashes.copyOf(new long[] {5, -7, 9}, 3));
    }

    @Test
    void rejectsACountOutsideTheArray() {
        assertThatThrownBy(() -> BlockHashes.copyOf(new long[2], 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0..2");
    }
}
