package org.shapelab.layers;

import java.util.Map;

import org.shapelab.shape.DataFormat;
import org.shapelab.shape.Shape;

/**
 * What global max and average pooling share: every spatial axis is summarized away, leaving one
 * value per channel: {@code (None, rows, cols, channels) -> (None, channels)}. Works with spatial
 * axes of unknown length, which makes it the usual bridge from variable-length input to Dense.
 *
 * @param <T> the concrete layer, so that options chain with its own type
 */
public abstract class GlobalPooling<T extends GlobalPooling<T>> extends Layer {

    private final int spatialRank;
    private DataFormat dataFormat = DataFormat.imageDataFormat();
    private boolean keepdims;

    protected GlobalPooling(int spatialRank) {
        this.spatialRank = spatialRank;
    }

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    public T dataFormat(String name) {
        requireUnbuilt("dataFormat");
        this.dataFormat = DataFormat.of(name);
        return self();
    }

    /** Keep the pooled axes with size 1 instead of removing them. */
    public T keepdims(boolean value) {
        requireUnbuilt("keepdims");
        this.keepdims = value;
        return self();
    }

    public DataFormat dataFormat() {
        return dataFormat;
    }

    public boolean keepdims() {
        return keepdims;
    }

    @Override
    protected Shape computeOutputShape(Shape input) {
        SpatialInput.check(this, input, spatialRank, dataFormat, false);
        int channels = input.get(dataFormat.channelAxis(input.rank()));
        if (!keepdims) {
            return Shape.summary(Shape.NONE, channels);
        }
        Shape output = input;
        for (int i = 0; i < spatialRank; i++) {
            output = output.with(dataFormat.firstSpatialAxis() + i, 1);
        }
        return output;
    }

    @Override
    protected void writeConfig(Map<String, Object> config) {
        config.put("data_format", dataFormat.kerasName());
        config.put("keepdims", keepdims);
    }

    T readOptions(LayerConfig c) {
        dataFormat(c.getString("data_format", null));
        keepdims(c.getBoolean("keepdims", false));
        return self();
    }
}
