package org.shapelab.io;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.layers.Layer;
import org.shapelab.model.Model;
import org.shapelab.shape.ShapeException;

/**
 * TensorFlow.js's own format ({@code model.save("file://dir")}, {@code tf.io.withSaveHandler}): {@code model.json}
 * holds {@code modelTopology} (the Keras JSON) and {@code weightsManifest}, a list of groups, each with the
 * {@code paths} of its {@code .bin} shards (relative to model.json; the shards of a group are one byte stream cut
 * in pieces) and its {@code weights}: name, shape, dtype and optional {@code quantization}, in the order their
 * bytes follow each other (tfjs-core {@code io/io_utils.ts}: {@code decodeWeights}). Weights are named
 * {@code <layer name>/<weight>}, with wrapped layers in between ({@code bidirectional/forward_lstm/kernel}).
 */
final class TfjsModel {

    private TfjsModel() {
    }

    static boolean matches(JsonNode root) {
        return root.has("weightsManifest") || root.has("modelTopology");
    }

    static void readWeights(Model model, JsonNode root, Path modelJson) {
        String file = modelJson.getFileName().toString();
        JsonNode manifest = root.get("weightsManifest");
        if (manifest == null || !manifest.isArray()) {
            throw new ShapeException(file + " has no \"weightsManifest\" list, so it holds no weights. Fix: save the"
                    + " model with TensorFlow.js's model.save(), which writes the manifest and the .bin shards.");
        }
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (JsonNode group : manifest) {
            byte[] bytes = shards(group, modelJson);
            ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            for (JsonNode weight : group.path("weights")) {
                String name = weight.path("name").asText();
                arrays.put(name, decode(weight, buffer, file));
            }
            if (buffer.hasRemaining()) {
                throw new ShapeException(file + ": the shards " + group.path("paths") + " have " + buffer.remaining()
                        + " bytes more than their manifest's weights use. Fix: keep model.json and its .bin files"
                        + " from the same save.");
            }
        }
        Map<String, Layer> layerNames = new HashMap<>();
        model.layers().forEach(layer -> layerNames.put(layer.name(), layer));
        Map<Layer, List<String>> byLayer = new LinkedHashMap<>();
        List<String> unused = new ArrayList<>();
        for (String name : arrays.keySet()) {
            String[] path = name.split("/");
            Layer layer = null;
            for (int i = 0; i < path.length - 1 && layer == null; i++) {
                layer = layerNames.get(path[i]);
            }
            if (layer == null) {
                unused.add(name);
            } else {
                byLayer.computeIfAbsent(layer, l -> new ArrayList<>()).add(name);
            }
        }
        if (!unused.isEmpty()) {
            throw new ShapeException(file + ": the weights " + String.join(", ", unused) + " belong to no layer of"
                    + " model \"" + model.name() + "\" (its layers: " + String.join(", ", model.layers().stream()
                    .map(Layer::name).toList()) + "). Fix: load model.json with Model.load, which builds the layers"
                    + " with the names its weights use.");
        }
        Weights weights = new Weights(model, file);
        for (Layer layer : Weights.withWeights(model)) {
            List<String> names = byLayer.getOrDefault(layer, List.of());
            weights.add(layer, names.stream().map(arrays::get).toList(),
                    names.stream().map(n -> "weight \"" + n + "\"").toList(),
                    "weightsManifest (weights named " + layer.name() + "/...)");
        }
        weights.apply();
    }

    private static byte[] shards(JsonNode group, Path modelJson) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path dir = modelJson.toAbsolutePath().getParent();
        for (JsonNode p : group.path("paths")) {
            Path shard = dir.resolve(p.asText());
            try {
                out.write(Files.readAllBytes(shard));
            } catch (IOException e) {
                throw new ShapeException(modelJson.getFileName() + ": the weight shard " + p.asText() + " is missing"
                        + " (looked for " + shard + "). Fix: keep the .bin files beside model.json, as"
                        + " TensorFlow.js saved them.");
            }
        }
        return out.toByteArray();
    }

    private static INDArray decode(JsonNode weight, ByteBuffer buffer, String file) {
        String name = weight.path("name").asText();
        List<Long> shapeList = new ArrayList<>();
        weight.path("shape").forEach(d -> shapeList.add(d.asLong()));
        long[] shape = shapeList.stream().mapToLong(Long::longValue).toArray();
        int count = 1;
        for (long d : shape) {
            count *= (int) d;
        }
        JsonNode quantization = weight.get("quantization");
        String dtype = quantization != null ? quantization.path("dtype").asText() : weight.path("dtype").asText();
        int size = switch (dtype) {
            case "float32", "int32" -> 4;
            case "float16", "uint16" -> 2;
            case "uint8", "bool" -> 1;
            default -> throw new ShapeException(file + ": weight \"" + name + "\" has dtype " + dtype + ", which"
                    + " ShapeLab cannot read (float32, int32, bool and the quantized uint8, uint16 and float16 can).");
        };
        if (buffer.remaining() < (long) count * size) {
            throw new ShapeException(file + ": the shards end inside weight \"" + name + "\" (" + dtype + " "
                    + Weights.tuple(shape) + " needs " + (long) count * size + " bytes, " + buffer.remaining()
                    + " are left). Fix: keep model.json and all its .bin files from the same save.");
        }
        float[] values = new float[count];
        double scale = quantization == null ? 1 : quantization.path("scale").asDouble(1);
        double min = quantization == null ? 0 : quantization.path("min").asDouble(0);
        for (int i = 0; i < count; i++) {
            values[i] = switch (dtype) {
                case "float32" -> buffer.getFloat();
                case "int32" -> buffer.getInt();
                case "bool" -> buffer.get() != 0 ? 1 : 0;
                case "uint8" -> (float) ((buffer.get() & 0xFF) * scale + min);
                case "uint16" -> (float) ((buffer.getShort() & 0xFFFF) * scale + min);
                default -> halfToFloat(buffer.getShort());
            };
        }
        return Nd4j.create(values, shape, 'c');
    }

    /** IEEE 754 half precision to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short half) {
        int bits = half & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0) {
            float value = mantissa * 0x1p-24f;
            return sign == 0 ? value : -value;
        }
        if (exponent == 31) {
            return Float.intBitsToFloat(sign | 0x7F800000 | mantissa << 13);
        }
        return Float.intBitsToFloat(sign | (exponent + 112) << 23 | mantissa << 13);
    }
}
