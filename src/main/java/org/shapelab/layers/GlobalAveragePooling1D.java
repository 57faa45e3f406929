package org.shapelab.layers;

/** The mean of each channel over the whole sequence: {@code (None, length, channels) -> (None, channels)}. */
public final class GlobalAveragePooling1D extends GlobalPooling<GlobalAveragePooling1D> {

    public GlobalAveragePooling1D() {
        super(1);
    }

    static GlobalAveragePooling1D fromConfig(LayerConfig c) {
        return new GlobalAveragePooling1D().readOptions(c);
    }
}
