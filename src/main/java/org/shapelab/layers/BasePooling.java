package org.shapelab.layers;

import java.util.Map;

import org.shapelab.shape.DataFormat;
import org.shapelab.shape.Padding;
import org.shapelab.shape.Shape;

/**
 * What max and average pooling in 1 and 2 dimensions share: a window that summarizes each channel
 * separately, so the channel count is unchanged and only the spatial axes shrink.
 *
 * <p>Shape rule per spatial axis: valid {@code floor((L - pool) / s) + 1}, same {@code floor((L - 1) / s) + 1};
 * strides default to the pool size. No weights.
 *
 * @param <T> the concrete layer, so that options chain with its own type
 */
public abstract class BasePooling<T extends BasePooling<T>> extends Layer {

    private final int spatialRank;
    private final int[] poolSize;
    private int[] strides;
    private Padding padding = Padding.VALID;
    private DataFormat dataFormat = DataFormat.imageDataFormat();

    protected BasePooling(int spatialRank, int[] poolSize) {
        this.spatialRank = spatialRank;
        this.poolSize = tuple("pool_size", poolSize, spatialRank);
        this.strides = this.poolSize.clone();
    }

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    /** Step of the window; defaults to the pool size (non-overlapping windows). */
    public T strides(int... values) {
        requireUnbuilt("strides");
        this.strides = tuple("strides", values, spatialRank);
        return self();
    }

    /** {@code "valid"} (default) or {@code "same"}. */
    public T padding(String name) {
        requireUnbuilt("padding");
        Padding value = Padding.of(name);
        if (value == Padding.CAUSAL) {
            throw optionError("padding", name, "pooling takes \"valid\" or \"same\"");
        }
        this.padding = value;
        return self();
    }

    public T dataFormat(String name) {
        requireUnbuilt("dataFormat");
        this.dataFormat = DataFormat.of(name);
        return self();
    }

    public int[] poolSize() {
        return poolSize.clone();
    }

    public int[] strides() {
        return strides.clone();
    }

    public Padding padding() {
        return padding;
    }

    public DataFormat dataFormat() {
        return dataFormat;
    }

    @Override
    protected Shape computeOutputShape(Shape input) {
        SpatialInput.check(this, input, spatialRank, dataFormat, false);
        int[] noDilation = new int[spatialRank];
        java.util.Arrays.fill(noDilation, 1);
        return SpatialInput.slide(this, input, dataFormat, poolSize, strides, noDilation, padding, "pooling window",
                "use a smaller pool_size, padding(\"same\"), or fewer downsampling layers before this one");
    }

    @Override
    protected void writeConfig(Map<String, Object> config) {
        config.put("pool_size", listOf(poolSize));
        config.put("padding", padding.kerasName());
        config.put("strides", listOf(strides));
        config.put("data_format", dataFormat.kerasName());
    }

    /** Applies the options every pooling layer shares from a Keras config. */
    T readOptions(LayerConfig c) {
        strides(c.getTuple("strides", spatialRank, poolSize));
        padding(c.getString("padding", "valid"));
        dataFormat(c.getString("data_format", null));
        return self();
    }
}
