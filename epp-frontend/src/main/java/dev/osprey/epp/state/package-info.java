/** The EPP's view of pool state: immutable snapshots swapped atomically, fed from the pool-state topic. */
package dev.osprey.epp.state;
