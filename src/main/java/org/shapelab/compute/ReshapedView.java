package org.shapelab.compute;

import java.util.Arrays;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A reshape made once per source array. With reused buffers a layer reshapes the same array object on every
 * call (Conv1D's {@code (B, L, C) -> (B, 1, L, C)}, Flatten, Dense over rows); ND4J builds a new view object each
 * time, which costs about 10 µs, and the next op must then bind the new object. Only views are kept: when ND4J
 * had to copy (a source that is not contiguous), the copy would go stale, so it is made again every time.
 */
final class ReshapedView {

    private INDArray source;
    private long[] shape;
    private INDArray view;

    /** {@code source.reshape('c', shape)}, the same object as last time if the source and shape are. */
    INDArray of(INDArray source, long... shape) {
        if (source == this.source && Arrays.equals(shape, this.shape)) {
            return view;
        }
        INDArray reshaped = source.reshape('c', shape);
        boolean isView = reshaped.data().address() == source.data().address();
        this.source = isView ? source : null;
        this.shape = isView ? shape.clone() : null;
        this.view = isView ? reshaped : null;
        return reshaped;
    }
}
