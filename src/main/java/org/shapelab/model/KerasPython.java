package org.shapelab.model;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.shapelab.layers.BaseRNN;
import org.shapelab.layers.Bidirectional;
import org.shapelab.layers.Input;
import org.shapelab.layers.Layer;
import org.shapelab.layers.Merge;
import org.shapelab.layers.Names;
import org.shapelab.layers.Node;
import org.shapelab.layers.Tensor;
import org.shapelab.layers.TimeDistributed;
import org.shapelab.shape.Shape;

/**
 * {@link Model#toKerasPython()}: the Keras 3 program that builds the same model, so that a learner can carry a model
 * from Java to Python.
 *
 * <pre>{@code
 * import keras
 *
 * model = keras.Sequential([
 *     keras.Input(shape=(28, 28, 1)),
 *     keras.layers.Conv2D(32, 3, activation="relu"),
 *     keras.layers.MaxPooling2D(2),
 *     keras.layers.Flatten(),
 *     keras.layers.Dense(10, activation="softmax"),
 * ])
 * }</pre>
 *
 * A functional model becomes one statement per layer call, in the order the calls were made in Java, each result in a
 * variable named after its layer ({@code lstm, lstm_h, lstm_c = ...} for {@code return_state}); a shared layer is made
 * once ({@code shared = keras.layers.Dense(16)}) and called on each input ({@code shared_out = shared(a)}).
 *
 * <p>The main arguments are written positionally as Keras's own examples do (units, filters, kernel and pool sizes,
 * the rate of Dropout); every other option only when it differs from Keras 3's default. {@code data_format} is
 * written for {@code "channels_first"} only: Keras's default is {@code channels_last} unless
 * {@code ~/.keras/keras.json} says otherwise. A layer gets {@code name=} only where Keras, making the layers in the
 * program's order in a fresh session, would name it differently; the same for the model's name.
 *
 * <p>Only the model's own layer calls are written: a layer that was also called on tensors outside the model is
 * called fewer times in the program, so Keras numbers its calls (the {@code [1][0]} of "Connected to") and shows the
 * shape of its last call differently from {@link Model#summary()}, which counts every call as Keras does.
 */
final class KerasPython {

    /** Python names a variable may not take: keywords, builtins a program needs, and the program's own names. */
    private static final Set<String> RESERVED = Set.of("False", "None", "True", "and", "as", "assert", "async", "await",
            "break", "class", "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
            "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
            "with", "yield", "keras", "model", "print", "list", "len", "input");

    /** Per layer class: its Keras 3 arguments in signature order, with the defaults of those written by name. */
    private static final Map<String, List<Arg>> ARGS = new HashMap<>();

    static {
        List<Arg> conv = List.of(Arg.positional("filters"), Arg.positional("kernel_size").intOrTuple(),
                Arg.keyword("strides", List.of(1)).intOrTuple(), Arg.keyword("padding", "valid"),
                Arg.keyword("data_format", "channels_last"), Arg.keyword("dilation_rate", List.of(1)).intOrTuple(),
                Arg.keyword("activation", "linear"), Arg.keyword("use_bias", true));
        List<Arg> pooling = List.of(Arg.positional("pool_size").intOrTuple(),
                Arg.keyword("strides", Arg.SAME_AS_POOL).intOrTuple(), Arg.keyword("padding", "valid"),
                Arg.keyword("data_format", "channels_last"));
        List<Arg> global = List.of(Arg.keyword("data_format", "channels_last"), Arg.keyword("keepdims", false));
        ARGS.put("Dense", List.of(Arg.positional("units"), Arg.keyword("activation", "linear"),
                Arg.keyword("use_bias", true)));
        ARGS.put("Conv1D", conv);
        ARGS.put("Conv2D", conv);
        for (String name : List.of("MaxPooling1D", "MaxPooling2D", "AveragePooling1D", "AveragePooling2D")) {
            ARGS.put(name, pooling);
        }
        for (String name : List.of("GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalMaxPooling1D",
                "GlobalMaxPooling2D")) {
            ARGS.put(name, global);
        }
        ARGS.put("Flatten", List.of(Arg.keyword("data_format", "channels_last")));
        ARGS.put("Reshape", List.of(Arg.positional("target_shape").tuple()));
        ARGS.put("Permute", List.of(Arg.positional("dims").tuple()));
        ARGS.put("Dropout", List.of(Arg.positional("rate")));
        ARGS.put("Activation", List.of(Arg.positional("activation")));
        ARGS.put("Embedding", List.of(Arg.positional("input_dim"), Arg.positional("output_dim"),
                Arg.keyword("mask_zero", false)));
        ARGS.put("BatchNormalization", List.of(Arg.keyword("axis", -1), Arg.keyword("momentum", 0.99),
                Arg.keyword("epsilon", 0.001), Arg.keyword("center", true), Arg.keyword("scale", true)));
        List<Arg> rnnTail = List.of(Arg.keyword("return_sequences", false), Arg.keyword("return_state", false),
                Arg.keyword("go_backwards", false), Arg.keyword("stateful", false));
        List<Arg> simple = new ArrayList<>(List.of(Arg.positional("units"), Arg.keyword("activation", "tanh"),
                Arg.keyword("use_bias", true)));
        simple.addAll(rnnTail);
        simple.add(Arg.keyword("zero_output_for_mask", false));
        ARGS.put("SimpleRNN", simple);
        List<Arg> lstm = new ArrayList<>(List.of(Arg.positional("units"), Arg.keyword("activation", "tanh"),
                Arg.keyword("recurrent_activation", "sigmoid"), Arg.keyword("use_bias", true),
                Arg.keyword("unit_forget_bias", true)));
        lstm.addAll(rnnTail);
        lstm.add(Arg.keyword("zero_output_for_mask", false));
        ARGS.put("LSTM", lstm);
        List<Arg> gru = new ArrayList<>(List.of(Arg.positional("units"), Arg.keyword("activation", "tanh"),
                Arg.keyword("recurrent_activation", "sigmoid"), Arg.keyword("use_bias", true)));
        gru.addAll(rnnTail);
        gru.add(Arg.keyword("reset_after", true));
        gru.add(Arg.keyword("zero_output_for_mask", false));
        ARGS.put("GRU", gru);
        ARGS.put("RepeatVector", List.of(Arg.positional("n")));
        ARGS.put("Masking", List.of(Arg.keyword("mask_value", 0.0)));
        ARGS.put("Concatenate", List.of(Arg.keyword("axis", -1)));
        ARGS.put("Dot", List.of(Arg.positional("axes").intOrTuple(), Arg.keyword("normalize", false)));
        for (String name : List.of("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum")) {
            ARGS.put(name, List.of());
        }
    }

    /** Keras 3's automatic names in a fresh session: {@code dense}, {@code dense_1}, ... per class, as made. */
    private final Map<String, Integer> uids = new HashMap<>();
    private final Set<String> variables = new HashSet<>();

    private KerasPython() {
    }

    static String of(Model model) {
        if (model instanceof Sequential sequential) {
            return new KerasPython().sequential(sequential);
        }
        if (model instanceof Functional functional) {
            return new KerasPython().functional(functional);
        }
        throw new IllegalArgumentException("no Keras code for " + model.getClass().getName());
    }

    private String sequential(Sequential model) {
        StringBuilder code = new StringBuilder("import keras\n\nmodel = keras.Sequential([\n");
        code.append("    ").append(input(model.inputShape(), null)).append(",\n");
        for (Layer layer : model.layers()) {
            code.append("    ").append(layer(layer)).append(",\n");
        }
        code.append("]").append(modelName(model.name(), "sequential")).append(")\n");
        return code.toString();
    }

    private String functional(Functional model) {
        StringBuilder code = new StringBuilder("import keras\n\n");
        Map<Tensor, String> names = new IdentityHashMap<>();
        for (Input input : model.inputs()) {
            String name = model.inputName(input);
            String variable = variable(name);
            names.put(input, variable);
            code.append(variable).append(" = ").append(input(input.shape(), name)).append('\n');
        }
        Map<Layer, Long> calls = new IdentityHashMap<>();
        for (Node node : model.nodes()) {
            calls.merge(node.layer(), 1L, Long::sum);
        }
        List<Node> inCallOrder = new ArrayList<>(model.nodes());
        inCallOrder.sort(Comparator.comparingLong(Node::sequence));
        Map<Layer, String> sharedVariables = new IdentityHashMap<>();
        Map<Layer, Integer> callIndices = new IdentityHashMap<>();
        for (Node node : inCallOrder) {
            Layer layer = node.layer();
            boolean shared = calls.get(layer) > 1;
            String callee;
            List<String> outputs;
            if (shared) {
                String layerVariable = sharedVariables.get(layer);
                if (layerVariable == null) {
                    layerVariable = variable(layer.name());
                    sharedVariables.put(layer, layerVariable);
                    code.append(layerVariable).append(" = ").append(layer(layer)).append('\n');
                }
                callee = layerVariable;
                int call = callIndices.merge(layer, 1, Integer::sum) - 1;
                outputs = outputVariables(layer, layerVariable + "_out" + (call == 0 ? "" : "_" + call),
                        node.outputs().size());
            } else {
                callee = layer(layer);
                outputs = outputVariables(layer, layer.name(), node.outputs().size());
            }
            for (int i = 0; i < outputs.size(); i++) {
                names.put(node.outputs().get(i), outputs.get(i));
            }
            code.append(String.join(", ", outputs)).append(" = ").append(callee).append('(')
                    .append(arguments(layer, node.inputs(), names)).append(")\n");
        }
        code.append("model = keras.Model(inputs=").append(tensors(model.inputs(), names)).append(", outputs=")
                .append(tensors(model.outputs(), names)).append(modelName(model.name(), "functional")).append(")\n");
        return code.toString();
    }

    private static String tensors(List<? extends Tensor> tensors, Map<Tensor, String> names) {
        List<String> list = tensors.stream().map(names::get).toList();
        return list.size() == 1 ? list.get(0) : "[" + String.join(", ", list) + "]";
    }

    /** What a call passes: {@code x}, a merge's list {@code [a, b]}, an RNN's {@code x, initial_state=[h, c]}. */
    private static String arguments(Layer layer, List<Tensor> inputs, Map<Tensor, String> names) {
        List<String> args = inputs.stream().map(names::get).toList();
        if (layer instanceof Merge) {
            return "[" + String.join(", ", args) + "]";
        }
        if (args.size() > 1) {
            return args.get(0) + ", initial_state=[" + String.join(", ", args.subList(1, args.size())) + "]";
        }
        return args.get(0);
    }

    /** The variables a call's outputs go to: the layer's name, then {@code _h}, {@code _c} for states. */
    private List<String> outputVariables(Layer layer, String base, int count) {
        List<String> suffixes = new ArrayList<>();
        if (layer instanceof BaseRNN<?> rnn && count == 1 + rnn.stateCount()) {
            suffixes.add("");
            rnn.stateNames().forEach(state -> suffixes.add("_" + state));
        } else if (layer instanceof Bidirectional bidirectional) {
            List<String> states = bidirectional.forwardLayer().returnState()
                    ? bidirectional.forwardLayer().stateNames() : List.of();
            if (bidirectional.mergeMode() == Bidirectional.MergeMode.NONE) {
                suffixes.add("_forward");
                suffixes.add("_backward");
            } else {
                suffixes.add("");
            }
            states.forEach(state -> suffixes.add("_forward_" + state));
            states.forEach(state -> suffixes.add("_backward_" + state));
        }
        if (suffixes.size() != count) {
            suffixes.clear();
            for (int i = 0; i < count; i++) {
                suffixes.add(i == 0 ? "" : "_" + i);
            }
        }
        List<String> out = new ArrayList<>();
        for (String suffix : suffixes) {
            out.add(variable(base + suffix));
        }
        return out;
    }

    /** A Python identifier from a Keras name, not used before in the program. */
    private String variable(String name) {
        String base = name.replaceAll("[^A-Za-z0-9_]", "_");
        if (base.isEmpty() || Character.isDigit(base.charAt(0))) {
            base = "_" + base;
        }
        if (RESERVED.contains(base)) {
            base = base + "_";
        }
        String candidate = base;
        for (int n = 2; !variables.add(candidate); n++) {
            candidate = base + "_" + n;
        }
        return candidate;
    }

    private String input(Shape batchShape, String name) {
        int[] dims = batchShape.dims();
        int[] sample = java.util.Arrays.copyOfRange(dims, 1, dims.length);
        StringBuilder code = new StringBuilder("keras.Input(shape=").append(tuple(sample));
        if (dims[0] != Shape.NONE) {
            code.append(", batch_size=").append(dims[0]);
        }
        if (name != null && !name.equals(autoName("input_layer", name))) {
            code.append(", name=").append(string(name));
        }
        return code.append(')').toString();
    }

    /** The layer's constructor call, wrapped layers inside (made first, as Python evaluates them). */
    private String layer(Layer layer) {
        List<String> args = new ArrayList<>();
        String className = layer.kerasClassName();
        if (layer instanceof TimeDistributed wrapper) {
            args.add(layer(wrapper.layer()));
        } else if (layer instanceof Bidirectional bidirectional) {
            args.add(layer(bidirectional.forwardLayer()));
            String backward = bidirectional.innerLayers().size() > 1 ? layer(bidirectional.backwardLayer()) : null;
            Bidirectional.MergeMode mode = bidirectional.mergeMode();
            if (mode != Bidirectional.MergeMode.CONCAT) {
                args.add("merge_mode=" + (mode == Bidirectional.MergeMode.NONE ? "None" : string(mode.kerasName())));
            }
            if (backward != null) {
                args.add("backward_layer=" + backward);
            }
        } else {
            Map<String, Object> config = layer.getConfig();
            List<Arg> spec = ARGS.get(className);
            if (spec != null) {
                for (Arg arg : spec) {
                    String text = arg.write(config);
                    if (text != null) {
                        args.add(text);
                    }
                }
            }
        }
        if (!layer.name().equals(autoName(Names.snakeCase(className), layer.name()))) {
            args.add("name=" + string(layer.name()));
        }
        return "keras.layers." + className + "(" + String.join(", ", args) + ")";
    }

    /**
     * The name Keras 3 would give the next layer of this prefix; the count advances only if that is the layer's
     * name (a layer given {@code name=} takes no automatic name).
     */
    private String autoName(String prefix, String actual) {
        int uid = uids.getOrDefault(prefix, 0);
        String auto = uid == 0 ? prefix : prefix + "_" + uid;
        if (auto.equals(actual)) {
            uids.put(prefix, uid + 1);
        }
        return auto;
    }

    private static String modelName(String name, String auto) {
        return name.equals(auto) ? "" : ", name=" + string(name);
    }

    // ---- Python literals ----

    static String string(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String tuple(int... values) {
        List<String> items = new ArrayList<>();
        for (int value : values) {
            items.add(value == Shape.NONE ? "None" : Integer.toString(value));
        }
        return "(" + String.join(", ", items) + (items.size() == 1 ? ",)" : ")");
    }

    /** Python's {@code repr(float)}: the shortest digits that read back, {@code 0.5}, {@code 1e-05}, {@code 2.0}. */
    static String pyFloat(double value) {
        if (Double.isNaN(value)) {
            return "float(\"nan\")";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "float(\"inf\")" : "-float(\"inf\")";
        }
        if (value == 0) {
            return 1 / value < 0 ? "-0.0" : "0.0";
        }
        BigDecimal shortest = null;
        for (int digits = 1; digits <= 17; digits++) {
            BigDecimal candidate = new BigDecimal(value).round(new MathContext(digits));
            if (candidate.doubleValue() == value) {
                shortest = candidate;
                break;
            }
        }
        shortest = shortest.stripTrailingZeros();
        String sign = shortest.signum() < 0 ? "-" : "";
        String digits = shortest.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - shortest.scale();
        if (exponent >= -4 && exponent < 16) {
            String plain = shortest.abs().toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }

    static String literal(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof Double || value instanceof Float) {
            return pyFloat(((Number) value).doubleValue());
        }
        if (value instanceof Number) {
            return value.toString();
        }
        if (org.shapelab.layers.Activations.HARD_SIGMOID_KERAS2.equals(value)) {
            // tf.keras 2's and TensorFlow.js's hard sigmoid, which Keras 3 has under no name
            return "lambda x: keras.ops.clip(0.2 * x + 0.5, 0.0, 1.0)";
        }
        if (value instanceof String s) {
            return string(s);
        }
        if (value instanceof List<?> list) {
            List<String> items = list.stream().map(KerasPython::literal).toList();
            return "(" + String.join(", ", items) + (items.size() == 1 ? ",)" : ")");
        }
        return string(String.valueOf(value));
    }

    /** One argument of a layer's constructor, read from the layer's Keras config. */
    private record Arg(String key, boolean positional, Object defaultValue, Form form) {

        /** Pooling's {@code strides=None}: the pool size. */
        static final Object SAME_AS_POOL = new Object();

        enum Form { VALUE, INT_OR_TUPLE, TUPLE }

        static Arg positional(String key) {
            return new Arg(key, true, null, Form.VALUE);
        }

        static Arg keyword(String key, Object defaultValue) {
            return new Arg(key, false, defaultValue, Form.VALUE);
        }

        Arg intOrTuple() {
            return new Arg(key, positional, defaultValue, Form.INT_OR_TUPLE);
        }

        Arg tuple() {
            return new Arg(key, positional, defaultValue, Form.TUPLE);
        }

        /** {@code key=value}, the value alone for a positional argument, or null when it is Keras's default. */
        String write(Map<String, Object> config) {
            Object value = config.get(key);
            if (!positional && isDefault(value, config)) {
                return null;
            }
            String text = form == Form.INT_OR_TUPLE ? intOrTuple(value) : literal(value);
            return positional ? text : key + "=" + text;
        }

        private boolean isDefault(Object value, Map<String, Object> config) {
            if (!config.containsKey(key)) {
                return true;
            }
            if (defaultValue == SAME_AS_POOL) {
                return value == null || value.equals(config.get("pool_size"));
            }
            if (form == Form.INT_OR_TUPLE && defaultValue instanceof List<?> one && value instanceof List<?> list) {
                return list.stream().allMatch(one.get(0)::equals);
            }
            if (defaultValue instanceof Double d && value instanceof Number n) {
                return n.doubleValue() == d;
            }
            return java.util.Objects.equals(defaultValue, value);
        }

        /** Keras's int-or-tuple arguments: {@code 3} when every axis is the same, {@code (3, 5)} otherwise. */
        private static String intOrTuple(Object value) {
            if (value instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(list.get(0)::equals)) {
                return literal(list.get(0));
            }
            return literal(value);
        }
    }
}
