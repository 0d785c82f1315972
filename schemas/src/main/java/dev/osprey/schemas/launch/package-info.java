/** What the main class of every Osprey service does around its own start: exit statuses, closing, stopping. */
package dev.osprey.schemas.launch;
