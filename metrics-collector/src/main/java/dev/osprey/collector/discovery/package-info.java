/** Where the collector learns which endpoints to scrape. */
package dev.osprey.collector.discovery;
