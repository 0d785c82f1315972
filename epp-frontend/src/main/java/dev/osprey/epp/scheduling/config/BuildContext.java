package dev.osprey.epp.scheduling.config;

/** What plugin factories share while one configuration is built (start-up only; not thread-safe). */
public final class BuildContext {

    int blockSizeTokens = 16;
    int maxPrefixBlocks = 256;
    int lruCapacityPerServer = 31_250;
    boolean usesPrefix;

    /** Configures the shared prefix index (from {@code prefix-cache-scorer}'s parameters). */
    public void prefix(int blockSizeTokens, int maxBlocks, int lruCapacity) {
        this.blockSizeTokens = blockSizeTokens;
        this.maxPrefixBlocks = maxBlocks;
        this.lruCapacityPerServer = lruCapacity;
    }

    /** Declares that a plugin reads prefix matches (dispatches then add speculative prefix entries). */
    public void usesPrefix() {
        this.usesPrefix = true;
    }
}
