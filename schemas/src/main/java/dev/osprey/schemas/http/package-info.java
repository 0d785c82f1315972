/** The small HTTP text endpoint every Osprey process serves its meters and health on. */
package dev.osprey.schemas.http;
