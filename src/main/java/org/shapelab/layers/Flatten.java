package org.shapelab.layers;

import java.util.Map;

import org.shapelab.shape.DataFormat;
import org.shapelab.shape.Shape;

/**
 * Lays each sample out as one vector: {@code (None, 5, 5, 16) -> (None, 400)}. With channels_first
 * data Keras first moves the channels last, so the values come in the same order either way. An axis of unknown
 * size makes the length unknown: {@code (None, None, 8) -> (None, None)}.
 */
public final class Flatten extends Layer {

    private DataFormat dataFormat = DataFormat.imageDataFormat();

    public Flatten dataFormat(String name) {
        requireUnbuilt("dataFormat");
        this.dataFormat = DataFormat.of(name);
        return this;
    }

    public DataFormat dataFormat() {
        return dataFormat;
    }

    @Override
    protected Shape computeOutputShape(Shape input) {
        if (input.rank() < 2) {
            throw inputError(input).expected("(None, ...) with at least one axis per sample", Shape.Kind.SUMMARY)
                    .problem("there is nothing to flatten: each sample has no axes.")
                    .fix("remove this Flatten").build();
        }
        long elements = input.sampleElements();
        if (elements < 0) {
            // As Keras: the flattened length is unknown, (None, None, 8) -> (None, None). Only a layer that needs the
            // length (Dense sizing its kernel) fails, and it explains why.
            return Shape.summary(Shape.NONE, Shape.NONE);
        }
        if (elements > Integer.MAX_VALUE) {
            throw inputError(input).expected("(None, ...) with at most " + Integer.MAX_VALUE + " values per sample",
                    Shape.Kind.SUMMARY).problem("flattening gives " + elements + " values per sample.")
                    .fix("downsample first (pooling or strides)").build();
        }
        return Shape.summary(Shape.NONE, (int) elements);
    }

    @Override
    protected void writeConfig(Map<String, Object> config) {
        config.put("data_format", dataFormat.kerasName());
    }

    static Flatten fromConfig(LayerConfig c) {
        return new Flatten().dataFormat(c.getString("data_format", null));
    }
}
