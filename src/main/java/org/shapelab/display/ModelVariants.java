package org.shapelab.display;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.shapelab.layers.KerasLayers;
import org.shapelab.layers.Layer;
import org.shapelab.model.Sequential;
import org.shapelab.shape.Shape;

/**
 * A Sequential model rebuilt with one mistake made in every layer it applies to (padding "same" for "valid",
 * pooling left out, strides of 1), from the layers' Keras configs, so that the real shape rules say what the
 * learner would have computed. Used to recognise a mistake made across a model, e.g. the size Flatten outputs
 * when the pooling was forgotten.
 */
final class ModelVariants {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ModelVariants() {
    }

    /**
     * The output shape of layer {@code index} of the model rebuilt with {@code change}: for each layer, null keeps
     * it, an empty map leaves it out, other entries replace config options. Null if the variant changes nothing
     * before that layer, leaves that layer out, or does not build.
     */
    static Shape output(Sequential model, int index, Function<Layer, Map<String, Object>> change) {
        try {
            List<Layer> layers = model.layers();
            Sequential variant = Sequential.input(model.inputShape().sampleShape().dims());
            boolean changed = false;
            Layer target = null;
            for (int i = 0; i <= index; i++) {
                Layer layer = layers.get(i);
                Map<String, Object> options = change.apply(layer);
                if (options != null && options.isEmpty()) {
                    if (i == index) {
                        return null;
                    }
                    changed = true;
                    continue;
                }
                Map<String, Object> config = new LinkedHashMap<>(layer.getConfig());
                if (options != null) {
                    config.putAll(options);
                    changed = true;
                }
                JsonNode entry = MAPPER.valueToTree(Map.of("class_name", layer.kerasClassName(), "config", config));
                target = KerasLayers.read(entry, "layer " + (i + 1));
                variant.add(target);
            }
            return changed && target != null ? target.outputShape() : null;
        } catch (RuntimeException | LinkageError doesNotBuild) {
            return null;
        }
    }
}
