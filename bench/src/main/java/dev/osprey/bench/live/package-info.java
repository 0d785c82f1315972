/** {@code osprey-bench live}: a scenario scaled down, run in real time through the whole pipeline, ranked against the simulation. */
package dev.osprey.bench.live;
