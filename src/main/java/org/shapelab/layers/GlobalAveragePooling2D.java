package org.shapelab.layers;

/** The mean of each channel over the whole image: {@code (None, rows, cols, channels) -> (None, channels)}. */
public final class GlobalAveragePooling2D extends GlobalPooling<GlobalAveragePooling2D> {

    public GlobalAveragePooling2D() {
        super(2);
    }

    static GlobalAveragePooling2D fromConfig(LayerConfig c) {
        return new GlobalAveragePooling2D().readOptions(c);
    }
}
