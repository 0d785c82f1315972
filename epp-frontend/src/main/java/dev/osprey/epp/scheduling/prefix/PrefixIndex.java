package dev.osprey.epp.scheduling.prefix;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.ToIntFunction;

/**
 * Which server (endpoint id) probably holds which prefix block in its KV cache, as upstream's approximate prefix
 * index: a hash → servers map plus one LRU of hashes per server (capacity {@code lruCapacityPerServer}); evicting
 * a hash from a server's LRU removes the server from the hash's entry. Entries are added when this EPP routes a
 * request (speculatively: before the server has seen it). Matching takes a read lock, adding a write lock.
 */
public final class PrefixIndex {

    private static final String[] NONE = new String[0];

    private final PrefixHasher hasher;
    private final int lruCapacity;
    private final LongMap<String[]> hashToServers = new LongMap<>(1024);
    private final Map<String, ServerLru> servers = new HashMap<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    public PrefixIndex(PrefixHasher hasher, int lruCapacityPerServer) {
        if (lruCapacityPerServer < 1) {
            throw new IllegalArgumentException("lruCapacityPerServer must be positive");
        }
        this.hasher = hasher;
        this.lruCapacity = lruCapacityPerServer;
    }

    public PrefixHasher hasher() {
        return hasher;
    }

    /** Records that {@code server} now holds the first {@code n} blocks {@code hashes}. */
    public void add(String server, long[] hashes, int n) {
        if (n == 0) {
            return;
        }
        lock.writeLock().lock();
        try {
            ServerLru lru = servers.computeIfAbsent(server, ServerLru::new);
            for (int i = 0; i < n; i++) {
                link(lru, server, hashes[i]);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Records blocks another source (the shared index) says {@code server} holds: the first {@code n} of
     * {@code newestFirst}, most recent first. They are applied oldest first so the newest ends most recently used;
     * blocks already held are refreshed. Unlike {@link #add} the hashes need not form one prompt's chain.
     */
    public void addNewestFirst(String server, long[] newestFirst, int n) {
        if (n == 0) {
            return;
        }
        lock.writeLock().lock();
        try {
            ServerLru lru = servers.computeIfAbsent(server, ServerLru::new);
            for (int i = Math.min(n, lruCapacity) - 1; i >= 0; i--) {
                link(lru, server, newestFirst[i]);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * For each server known to {@code position} (endpoint id → index, or -1 when not a candidate), writes into
     * {@code out[index]} how many leading hashes it holds. Stops at the first hash no such server extends.
     */
    public void match(long[] hashes, int n, ToIntFunction<String> position, int[] out) {
        if (n == 0) {
            return;
        }
        lock.readLock().lock();
        try {
            for (int i = 0; i < n; i++) {
                String[] holders = hashToServers.get(hashes[i]);
                if (holders == null) {
                    return;
                }
                boolean extended = false;
                for (String s : holders) {
                    int p = position.applyAsInt(s);
                    if (p >= 0 && out[p] == i) {
                        out[p] = i + 1;
                        extended = true;
                    }
                }
                if (!extended) {
                    return;
                }
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Forgets a server (e.g. it left the pool). */
    public void remove(String server) {
        lock.writeLock().lock();
        try {
            ServerLru lru = servers.remove(server);
            if (lru != null) {
                lru.keySet().forEach(h -> unlink(h, server));
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Number of hashes held by {@code server} (for tests and metrics). */
    public int size(String server) {
        lock.readLock().lock();
        try {
            ServerLru lru = servers.get(server);
            return lru == null ? 0 : lru.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Marks {@code h} most recently used in {@code server}'s LRU, adding the server to the hash's holders. */
    private void link(ServerLru lru, String server, long h) {
        if (lru.put(h, Boolean.TRUE) == null) {
            String[] cur = hashToServers.get(h);
            cur = cur == null ? NONE : cur;
            String[] next = Arrays.copyOf(cur, cur.length + 1);
            next[cur.length] = server;
            hashToServers.put(h, next);
        }
    }

    private void unlink(long h, String server) {
        String[] cur = hashToServers.get(h);
        if (cur == null) {
            return;
        }
        int at = -1;
        for (int i = 0; i < cur.length; i++) {
            if (cur[i].equals(server)) {
                at = i;
            }
        }
        if (at < 0) {
            return;
        }
        if (cur.length == 1) {
            hashToServers.remove(h);
            return;
        }
        String[] next = new String[cur.length - 1];
        System.arraycopy(cur, 0, next, 0, at);
        System.arraycopy(cur, at + 1, next, at, cur.length - at - 1);
        hashToServers.put(h, next);
    }

    private final class ServerLru extends LinkedHashMap<Long, Boolean> {
        private final String server;

        ServerLru(String server) {
            super(64, 0.75f, true);
            this.server = server;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            if (size() > lruCapacity) {
                unlink(eldest.getKey(), server);
                return true;
            }
            return false;
        }
    }
}
