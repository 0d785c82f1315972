package dev.osprey.epp.scheduling.plugins;

import dev.osprey.epp.scheduling.framework.Scorer;

/** Base of the built-in scorers. */
abstract class BaseScorer extends Named implements Scorer {

    BaseScorer(String type, String name) {
        super(type, name);
    }
}
