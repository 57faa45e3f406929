package org.shapelab.layers;

/** The largest value of each channel over the whole sequence: {@code (None, length, channels) -> (None, channels)}. */
public final class GlobalMaxPooling1D extends GlobalPooling<GlobalMaxPooling1D> {

    public GlobalMaxPooling1D() {
        super(1);
    }

    static GlobalMaxPooling1D fromConfig(LayerConfig c) {
        return new GlobalMaxPooling1D().readOptions(c);
    }
}
