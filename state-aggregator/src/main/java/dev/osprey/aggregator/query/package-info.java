/** The HTTP/JSON interactive-query API that answers for any pool, forwarding to the owning instance. */
package dev.osprey.aggregator.query;
