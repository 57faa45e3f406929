package org.shapelab.compute;

import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the layers of one training step share: the random stream Dropout draws its masks from, seeded from the
 * model's seed and the step's number, so that a fit is reproducible.
 */
public final class TrainingStep {

    private final long seed;
    private Random random;

    TrainingStep(long seed) {
        this.seed = seed;
    }

    /** This step's random numbers (created when first needed). */
    Random random() {
        if (random == null) {
            random = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        }
        return random;
    }
}
