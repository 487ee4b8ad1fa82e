package com.imagina.credits.system;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A memo of values that are cheap to compute again, kept in memory up to a number of keys: when full, it
 * starts over (emptied, then the new key kept). Never a source of truth: what it holds must be a pure function
 * of its key, or checked by the caller on every read (several instances share the database, not this). Used by
 * the token cache, the hold floor and the parsed model prices.
 */
public final class BoundedMemo<K, V> {
    private final int limit;
    private final ConcurrentHashMap<K, V> values = new ConcurrentHashMap<>();

    /** {@code limit}: the most keys it holds. */
    public BoundedMemo(int limit) {
        if (limit < 1) throw new IllegalArgumentException("limit must be at least 1");
        this.limit = limit;
    }

    /** The value kept for {@code key}, or null. */
    public V get(K key) {
        return values.get(key);
    }

    /** Keeps {@code value} for {@code key}, emptying the memo first when it holds {@code limit} keys. */
    public void put(K key, V value) {
        if (values.size() >= limit) {
            values.clear();
        }
        values.put(key, value);
    }

    public void remove(K key) {
        values.remove(key);
    }
}
