package org.shapelab.compute;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.shapelab.layers.Conv1D;
import org.shapelab.layers.Conv2D;
import org.shapelab.model.Sequential;

/**
 * Small channels-last convolutions run as im2col in Java + one product (SmallConv), large ones as libnd4j's
 * {@code conv2d}: a batch above {@link SmallConv#MAX_WINDOW_VALUES} and each of its samples alone (below it) go
 * through the two, over strides, dilations, paddings (valid, same, causal), even kernels and no bias, and must give
 * the same numbers. Keras's own numbers for these layers are checked by KerasForwardTest and HandCheckedTest.
 */
class SmallConvTest {

    @Test
    void conv2dBatchAndSamplesAgree() {
        List<String> failures = new ArrayList<>();
        for (String padding : new String[] {"valid", "same"}) {
            for (int stride : new int[] {1, 2, 3}) {
                for (int dilation : new int[] {1, 2}) {
                    if (stride > 1 && dilation > 1) {
                        continue; // Keras refuses strides and dilation above 1 together
                    }
                    for (int kernel : new int[] {3, 4}) {
                        for (int channels : new int[] {1, 3}) { // one channel: the window matrix transposed
                            Conv2D layer = new Conv2D(5, kernel).padding(padding).strides(stride, stride)
                                    .dilationRate(dilation, dilation).useBias(kernel == 3);
                            compare(Sequential.input(13, 12, channels).add(layer), new int[] {13, 12, channels},
                                    padding + " s" + stride + " d" + dilation + " k" + kernel + " c" + channels,
                                    failures);
                        }
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void stridesThatDifferByAxis() {
        List<String> failures = new ArrayList<>();
        for (int channels : new int[] {1, 2}) {
            compare(Sequential.input(11, 14, channels).add(new Conv2D(3, 3, 2).padding("same").strides(2, 1)),
                    new int[] {11, 14, channels}, "same s2x1 c" + channels, failures);
            compare(Sequential.input(11, 14, channels).add(new Conv2D(3, 2, 3).strides(1, 2)),
                    new int[] {11, 14, channels}, "valid s1x2 c" + channels, failures);
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void conv1dBatchAndSamplesAgree() {
        List<String> failures = new ArrayList<>();
        for (String padding : new String[] {"valid", "same", "causal"}) {
            for (int stride : new int[] {1, 2}) {
                for (int dilation : new int[] {1, 3}) {
                    if (stride > 1 && dilation > 1) {
                        continue;
                    }
                    for (int channels : new int[] {1, 4}) {
                        Conv1D layer = new Conv1D(6, 5, "relu").padding(padding).strides(stride)
                                .dilationRate(dilation);
                        compare(Sequential.input(40, channels).add(layer), new int[] {40, channels},
                                padding + " s" + stride + " d" + dilation + " c" + channels, failures);
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static void compare(Sequential model, int[] sample, String name, List<String> failures) {
        ModelRuntime runtime = ModelRuntime.of(model).seed(11);
        long[] shape = new long[sample.length + 1];
        shape[0] = 1000; // 1000 samples gather above MAX_WINDOW_VALUES; one sample stays below it (checked below)
        for (int i = 0; i < sample.length; i++) {
            shape[i + 1] = sample[i];
        }
        INDArray batch = Nd4j.rand(DataType.FLOAT, shape).subi(0.5);
        INDArray together = runtime.predict(batch);
        org.shapelab.layers.BaseConv<?> conv = (org.shapelab.layers.BaseConv<?>) model.layers().get(0);
        long windowLength = sample[sample.length - 1];
        for (int k : conv.kernelSize()) {
            windowLength *= k;
        }
        long positions = together.length() / 1000 / conv.filters();
        assertTrue(positions * windowLength <= SmallConv.MAX_WINDOW_VALUES
                && 1000 * positions * windowLength > SmallConv.MAX_WINDOW_VALUES, name + ": both paths");
        double worst = 0;
        for (int i = 0; i < 1000; i += 97) {
            INDArray alone = runtime.predict(batch.get(NDArrayIndex.interval(i, i + 1)).dup());
            worst = Math.max(worst, RecurrentTest.maxDifference(alone, together.get(NDArrayIndex.interval(i, i + 1))));
        }
        if (!(worst < 1e-5)) {
            failures.add(name + ": largest difference " + worst);
        }
    }
}
