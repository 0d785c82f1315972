/** Request and response body handling: streaming JSON inspection, model splicing, usage extraction, chunking. */
package dev.osprey.epp.request;
