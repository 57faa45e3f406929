package org.shapelab.compute;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.shapelab.shape.WindowArithmetic;

/**
 * 'same' windows whose stride is longer than the input needs: TensorFlow pads nothing there and starts at 0, but
 * libnd4j 1.0.0-M2.1's same mode computes a negative padding and starts one step in (Conv2D(1, 1, strides=3) on 3
 * rows read row 1, Keras row 0; tools/keras-reference/fuzz found it). Cropping the axis to what TensorFlow's windows
 * ever read gives libnd4j a padding of 0 and the same output size; the gradient of the crop is the cropped gradient
 * with zeros where nothing was read.
 */
final class SameCrop {

    private final int[] window;
    private final int[] strides;
    private final int[] dilation;
    private final int firstSpatial;

    /** For a 2D op's window, strides and dilation (1D layers give their (1, k) forms) on NHWC or NCHW images. */
    SameCrop(int[] window, int[] strides, int[] dilation, boolean channelsLast) {
        this.window = window;
        this.strides = strides;
        this.dilation = dilation;
        this.firstSpatial = channelsLast ? 1 : 2;
    }

    /** The images as libnd4j's same mode computes them right: cropped where TensorFlow reads less. */
    INDArray crop(INDArray images) {
        INDArrayIndex[] index = null;
        for (int i = 0; i < 2; i++) {
            int axis = firstSpatial + i;
            int length = (int) images.size(axis);
            int read = WindowArithmetic.sameReadLength(length, window[i], strides[i], dilation[i]);
            if (read < length) {
                if (index == null) {
                    index = all(images.rank());
                }
                index[axis] = NDArrayIndex.interval(0, read);
            }
        }
        // A copy, not the view: libnd4j's conv2d read a strided view's second sample wrongly (fuzz, batch 2).
        return index == null ? images : images.get(index).dup('c');
    }

    /** A gradient with respect to the cropped images, placed in the full images' shape (zeros where cropped). */
    static INDArray uncrop(INDArray gradient, long[] fullShape) {
        if (java.util.Arrays.equals(gradient.shape(), fullShape)) {
            return gradient;
        }
        INDArray full = Nd4j.zeros(DataType.FLOAT, fullShape);
        INDArrayIndex[] index = all(fullShape.length);
        for (int axis = 0; axis < fullShape.length; axis++) {
            index[axis] = NDArrayIndex.interval(0, gradient.size(axis));
        }
        full.get(index).assign(gradient);
        return full;
    }

    private static INDArrayIndex[] all(int rank) {
        INDArrayIndex[] index = new INDArrayIndex[rank];
        for (int i = 0; i < rank; i++) {
            index[i] = NDArrayIndex.all();
        }
        return index;
    }
}
