/** Non-blocking HTTP scraping of endpoints on a jittered schedule with bounded concurrency. */
package dev.osprey.collector.scrape;
