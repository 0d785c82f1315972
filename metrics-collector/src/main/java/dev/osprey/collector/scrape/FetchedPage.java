package dev.osprey.collector.scrape;

/** The bytes of a fetched page: {@code bytes[0, length)}; the array may be larger. */
record FetchedPage(byte[] bytes, int length) {

    static final FetchedPage EMPTY = new FetchedPage(new byte[0], 0);
}
