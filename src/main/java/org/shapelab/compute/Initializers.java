package org.shapelab.compute;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Qr;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.shapelab.layers.WeightSpec;

/**
 * Keras's default initializers, reproducible from a seed. Every weight draws from its own ND4J random
 * generator seeded from (model seed, layer index, weight index), so a layer's weights do not depend on
 * when it is initialized or on the other layers. The values are Keras's distributions, not Keras's numbers
 * (different generators).
 */
final class Initializers {

    /** Keras's {@code RandomUniform} default range, used by Embedding. */
    static final double EMBEDDING_LIMIT = 0.05;

    private Initializers() {
    }

    /** Fresh weights for a layer's specs, in their order. */
    static List<INDArray> create(List<WeightSpec> specs, long seed, int layerIndex) {
        List<INDArray> weights = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            weights.add(create(specs.get(i), weightSeed(seed, layerIndex, i)));
        }
        return weights;
    }

    private static INDArray create(WeightSpec spec, long seed) {
        long[] shape = java.util.Arrays.stream(spec.shape()).asLongStream().toArray();
        switch (spec.initializer()) {
            case "zeros":
                return Nd4j.zeros(DataType.FLOAT, shape);
            case "ones":
                return Nd4j.ones(DataType.FLOAT, shape);
            case "zeros, ones on the forget slice": {
                // LSTM unit_forget_bias: the second of the four gate blocks (i, f, c, o) starts at 1.
                INDArray bias = Nd4j.zeros(DataType.FLOAT, shape);
                long units = shape[0] / 4;
                bias.get(NDArrayIndex.interval(units, 2 * units)).assign(1.0);
                return bias;
            }
            case "glorot_uniform": {
                long[] fans = fans(shape);
                double limit = Math.sqrt(6.0 / (fans[0] + fans[1]));
                return Nd4j.rand(Nd4j.createUninitialized(DataType.FLOAT, shape), -limit, limit, random(seed));
            }
            case "uniform":
                return Nd4j.rand(Nd4j.createUninitialized(DataType.FLOAT, shape), -EMBEDDING_LIMIT, EMBEDDING_LIMIT,
                        random(seed));
            case "orthogonal":
                return orthogonal(shape, seed);
            default:
                throw new IllegalStateException("ShapeLab has no initializer '" + spec.initializer() + "' for weight "
                        + spec + ".");
        }
    }

    /** Keras's {@code compute_fans}: the last two axes are (in, out); earlier axes form the receptive field. */
    static long[] fans(long[] shape) {
        if (shape.length == 1) {
            return new long[] {shape[0], shape[0]};
        }
        long receptive = 1;
        for (int i = 0; i < shape.length - 2; i++) {
            receptive *= shape[i];
        }
        return new long[] {shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive};
    }

    /**
     * Keras's {@code Orthogonal}: the QR decomposition of a normal matrix of shape (max, min) of (rows, cols),
     * columns sign-corrected by R's diagonal, transposed when there are fewer rows than columns. A recurrent
     * kernel (units, gates·units) so gets orthonormal rows.
     */
    private static INDArray orthogonal(long[] shape, long seed) {
        long cols = shape[shape.length - 1];
        long rows = 1;
        for (int i = 0; i < shape.length - 1; i++) {
            rows *= shape[i];
        }
        INDArray normal = Nd4j.randn(Nd4j.createUninitialized(DataType.FLOAT, Math.max(rows, cols),
                Math.min(rows, cols)), random(seed));
        if (normal.size(1) == 1) {
            // The QR of one column, sign-corrected, is the column over its norm; libnd4j 1.0.0-M2.1's qr crashes the
            // JVM on a single column (a recurrent layer with one unit), so it is not asked.
            INDArray q = normal.divi(normal.norm2Number());
            return (rows < cols ? q.transpose() : q).dup('c').reshape('c', shape);
        }
        INDArray[] qr = Nd4j.exec(new Qr(normal));
        INDArray q = qr[0].muliRowVector(Transforms.sign(Nd4j.diag(qr[1]), false));
        return (rows < cols ? q.transpose() : q).dup('c').reshape('c', shape);
    }

    private static Random random(long seed) {
        return Nd4j.getRandomFactory().getNewRandomInstance(seed);
    }

    /** SplitMix64's finalizer over the three numbers, so nearby seeds and indices give unrelated streams. */
    static long weightSeed(long seed, int layerIndex, int weightIndex) {
        long z = seed + 0x9E3779B97F4A7C15L * (((long) layerIndex << 8) + weightIndex + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
