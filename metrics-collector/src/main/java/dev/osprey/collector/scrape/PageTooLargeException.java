package dev.osprey.collector.scrape;

import java.io.IOException;

/** A metrics page exceeded the configured size limit; retrying will not help until the server changes. */
public final class PageTooLargeException extends IOException {

    public PageTooLargeException(int limit) {
        super("metrics page exceeds " + limit + " bytes");
    }
}
