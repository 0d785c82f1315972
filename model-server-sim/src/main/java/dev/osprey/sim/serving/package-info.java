/** The boundary between the HTTP layer and whatever produces tokens (the engine driven in real time). */
package dev.osprey.sim.serving;
