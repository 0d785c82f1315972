package dev.osprey.epp.scheduling.prefix;

import java.util.Arrays;

/**
 * An open-addressing hash map from primitive {@code long} keys to values (linear probing, backward-shift
 * deletion), so prefix lookups do not box. Not thread-safe: {@link PrefixIndex} guards it.
 */
final class LongMap<V> {

    private long[] keys;
    private Object[] values;
    private int size;
    private int mask;

    LongMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[cap];
        values = new Object[cap];
        mask = cap - 1;
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    @SuppressWarnings("unchecked")
    V get(long key) {
        for (int i = slot(key, mask);; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == key) {
                return (V) v;
            }
        }
    }

    /** Maps {@code key} to {@code value} (non-null). */
    void put(long key, V value) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        for (int i = slot(key, mask);; i = (i + 1) & mask) {
            if (values[i] == null) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
        }
    }

    void remove(long key) {
        int i = slot(key, mask);
        while (true) {
            if (values[i] == null) {
                return;
            }
            if (keys[i] == key) {
                break;
            }
            i = (i + 1) & mask;
        }
        values[i] = null;
        size--;
        // shift back following entries that probed past the freed slot
        for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = slot(keys[j], mask);
            if (((j - home) & mask) >= ((j - i) & mask)) {
                keys[i] = keys[j];
                values[i] = values[j];
                values[j] = null;
                i = j;
            }
        }
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldValues.length * 2];
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) {
                put(oldKeys[i], castValue(oldValues[i]));
            }
        }
        Arrays.fill(oldValues, null);
    }

    @SuppressWarnings("unchecked")
    private V castValue(Object o) {
        return (V) o;
    }
}
