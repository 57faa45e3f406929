package org.shapelab.layers;

/** The largest value of each channel over the whole image: {@code (None, rows, cols, channels) -> (None, channels)}. */
public final class GlobalMaxPooling2D extends GlobalPooling<GlobalMaxPooling2D> {

    public GlobalMaxPooling2D() {
        super(2);
    }

    static GlobalMaxPooling2D fromConfig(LayerConfig c) {
        return new GlobalMaxPooling2D().readOptions(c);
    }
}
