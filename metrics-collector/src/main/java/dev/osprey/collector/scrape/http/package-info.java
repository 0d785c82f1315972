/** A minimal non-blocking HTTP/1.1 keep-alive client for fetching metric pages on NIO selector threads. */
package dev.osprey.collector.scrape.http;
