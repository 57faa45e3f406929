package org.shapelab.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.shapelab.shape.Shape;

/**
 * Applies one layer to every timestep with the same weights:
 * {@code (None, timesteps, ...) -> (None, timesteps, ...layer output)}. The wrapped layer sees
 * {@code (None, ...)}, one step of each sample.
 */
public final class TimeDistributed extends Layer {

    private final Layer layer;

    public TimeDistributed(Layer layer) {
        if (layer == null) {
            throw new org.shapelab.shape.ShapeException("TimeDistributed needs the layer to apply to each timestep,"
                    + " e.g. new TimeDistributed(new Dense(8)).");
        }
        if (layer.isBuilt()) {
            throw optionError("layer", layer.describe(), "that layer is already part of a model; wrap a new layer");
        }
        this.layer = layer;
    }

    public Layer layer() {
        return layer;
    }

    @Override
    public List<Layer> innerLayers() {
        return List.of(layer);
    }

    @Override
    protected Shape computeOutputShape(Shape input) {
        if (input.rank() < 3) {
            throw inputError(input).expected("(None, timesteps, ...)", Shape.Kind.SUMMARY)
                    .problem("TimeDistributed needs a time axis after the batch axis, plus the axes the wrapped "
                            + layer.kerasClassName() + " reads.")
                    .fix("use " + layer.kerasClassName() + " directly, or give the input a timesteps axis").build();
        }
        int[] dims = input.dims();
        int[] step = new int[dims.length - 1];
        step[0] = Shape.NONE;
        System.arraycopy(dims, 2, step, 1, dims.length - 2);
        Shape stepShape = Shape.summary(step);
        int[] inner;
        if (layer.isBuilt()) {
            // a shared TimeDistributed called again: the wrapped layer keeps its weights
            inner = layer.computeOutputShapes(List.of(stepShape)).get(0).dims();
        } else {
            layer.build(stepShape, "one timestep of " + Shape.tupleText(dims) + ", as TimeDistributed passes it");
            inner = layer.outputShape().dims();
        }
        int[] out = new int[inner.length + 1];
        out[0] = Shape.NONE;
        out[1] = dims[1];
        System.arraycopy(inner, 1, out, 2, inner.length - 1);
        return Shape.summary(out);
    }

    @Override
    protected List<WeightSpec> buildWeights(Shape input) {
        return layer.weights();
    }

    @Override
    public String paramFormula() {
        return layer.paramFormula();
    }

    @Override
    protected long computeMultiplyAdds(Shape input, Shape output) {
        long perStep = layer.multiplyAdds();
        return perStep < 0 || input.get(1) == Shape.NONE ? -1 : perStep * input.get(1);
    }

    @Override
    protected void writeConfig(Map<String, Object> config) {
        Map<String, Object> wrapped = new LinkedHashMap<>();
        wrapped.put("class_name", layer.kerasClassName());
        wrapped.put("config", layer.getConfig());
        config.put("layer", wrapped);
    }

    static TimeDistributed fromConfig(LayerConfig c) {
        return new TimeDistributed(c.getLayer("layer"));
    }
}
