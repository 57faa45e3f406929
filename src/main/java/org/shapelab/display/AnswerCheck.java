package org.shapelab.display;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.shapelab.layers.BaseConv;
import org.shapelab.layers.BasePooling;
import org.shapelab.layers.BaseRNN;
import org.shapelab.layers.Bidirectional;
import org.shapelab.layers.Dense;
import org.shapelab.layers.Flatten;
import org.shapelab.layers.GRU;
import org.shapelab.layers.LSTM;
import org.shapelab.layers.Layer;
import org.shapelab.layers.WeightSpec;
import org.shapelab.model.Model;
import org.shapelab.model.Sequential;
import org.shapelab.shape.DataFormat;
import org.shapelab.shape.Padding;
import org.shapelab.shape.Shape;
import org.shapelab.shape.WindowArithmetic;

/**
 * Compares an answer (a shape, a number) with the expected one and recognises the usual mistakes. From the two
 * answers alone: the kinds of shape (batch axis forgotten or added, None for a real batch), the channel axis left
 * out, channels first and last swapped, a shape for a number. With the layer or model the question is about (the
 * context): the window arithmetic (valid padding's {@code k - 1}, strides, dilation, pooling), return_sequences,
 * Dense's last axis, and the parameter counts (biases, gates, the recurrent kernel, the input channels). Messages
 * never contain the expected answer.
 */
final class AnswerCheck {

    private AnswerCheck() {
    }

    /** What the expected answer is, in the context: a layer's output or input shape, its parameters, one axis. */
    enum Quantity { NONE, OUTPUT, INPUT, PARAMS, AXIS }

    /** The layer (and model) the expected answer belongs to, found by matching the expected value. */
    static final class Where {
        static final Where NOWHERE = new Where(null, null, -1, Quantity.NONE, -1);

        final Layer layer;
        final Model model;
        final int index;
        final Quantity quantity;
        final int axis;

        Where(Layer layer, Model model, int index, Quantity quantity, int axis) {
            this.layer = layer;
            this.model = model;
            this.index = index;
            this.quantity = quantity;
            this.axis = axis;
        }

        /** The layers whose parameters the expected count adds up. */
        List<Layer> paramLayers() {
            if (quantity != Quantity.PARAMS) {
                return List.of();
            }
            return layer != null ? List.of(layer) : model.layers();
        }
    }

    // ---- entry ----

    static Verdict check(String exercise, Object yours, Object expected, Object context, String hint) {
        Answer y = Answer.of(yours);
        Answer e = Answer.of(expected);
        if (y.sameAs(e)) {
            return Verdict.right(exercise, e.text);
        }
        List<Verdict.Finding> findings;
        try {
            findings = diagnose(y, e, resolve(context, e));
        } catch (RuntimeException | StackOverflowError unexpected) {
            findings = List.of();       // a diagnosis that fails must not hide the verdict
        }
        return Verdict.notYet(exercise, y.text, findings, hint);
    }

    static List<Verdict.Finding> diagnose(Answer y, Answer e, Where where) {
        Findings found = new Findings();
        if (y.form == Answer.Form.MISSING
                || (y.isNumber() && y.number == 0 && e.isNumber() && e.number != 0)) {
            found.add(Mistake.NO_ANSWER, "No answer yet: write yours in the answer cell (in place of "
                    + (y.isNumber() ? "0" : y.text) + "), run it, then run this check again.");
        } else if (y.form == Answer.Form.UNREADABLE) {
            found.add(Mistake.UNREADABLE, "ShapeLab cannot read " + y.text + " as a shape: " + y.problem
                    + " is not a size. Write the sizes separated by commas, None for an unknown size, e.g."
                    + " \"(None, 1, 2, 3)\".");
        } else if (e.isShape() && y.isNumber()) {
            found.add(Mistake.NUMBER_FOR_SHAPE, "The exercise asks for a shape, not a single number: write it as"
                    + " Keras prints it, in quotes, e.g. \"(None, 1, 2, 3)\".");
        } else if (e.isNumber() && y.isShape()) {
            shapeForNumber(y, e, found);
        } else if (e.isShape() && y.isShape()) {
            shapes(y, e, where, found);
        } else if (e.isNumber() && y.isNumber()) {
            numbers(y.number, e.number, where, found);
        }
        return found.list();
    }

    /** Finds the layer the expected answer belongs to in a context (a {@link Layer} or a {@link Model}). */
    static Where resolve(Object context, Answer e) {
        if (context == null || !(e.isShape() || e.isNumber())) {
            return Where.NOWHERE;
        }
        if (context instanceof Layer layer) {
            if (!layer.isBuilt()) {
                return Where.NOWHERE;
            }
            Quantity q = quantityOf(layer, e);
            return q == Quantity.NONE ? Where.NOWHERE : new Where(layer, null, -1, q, axisOf(layer, e));
        }
        if (context instanceof Model model) {
            List<Layer> layers = model.layers();
            if (e.isNumber() && model.countParams() == e.number && e.number > 0) {
                List<Layer> weighted = layers.stream().filter(l -> l.countParams() > 0).toList();
                return weighted.size() == 1
                        ? new Where(weighted.get(0), model, layers.indexOf(weighted.get(0)), Quantity.PARAMS, -1)
                        : new Where(null, model, -1, Quantity.PARAMS, -1);
            }
            for (int i = layers.size() - 1; i >= 0; i--) {
                Quantity q = quantityOf(layers.get(i), e);
                if (q == Quantity.OUTPUT || q == Quantity.AXIS) {
                    return new Where(layers.get(i), model, i, q, axisOf(layers.get(i), e));
                }
            }
            if (e.isShape() && model.inputShapes().size() == 1 && !layers.isEmpty()
                    && sameDims(e, model.inputShapes().get(0))) {
                return new Where(layers.get(0), model, 0, Quantity.INPUT, -1);
            }
            for (int i = layers.size() - 1; i >= 0; i--) {
                if (quantityOf(layers.get(i), e) == Quantity.PARAMS) {
                    return new Where(layers.get(i), model, i, Quantity.PARAMS, -1);
                }
            }
        }
        return Where.NOWHERE;
    }

    private static Quantity quantityOf(Layer layer, Answer e) {
        if (e.isShape()) {
            if (sameDims(e, layer.outputShape())) {
                return Quantity.OUTPUT;
            }
            return sameDims(e, layer.inputShape()) ? Quantity.INPUT : Quantity.NONE;
        }
        if (e.number > 0 && layer.countParams() == e.number) {
            return Quantity.PARAMS;
        }
        return axisOf(layer, e) >= 0 ? Quantity.AXIS : Quantity.NONE;
    }

    private static int axisOf(Layer layer, Answer e) {
        if (!e.isNumber()) {
            return -1;
        }
        int[] dims = layer.outputShape().dims();
        for (int axis = dims.length - 1; axis >= 1; axis--) {
            if (dims[axis] == e.number) {
                return axis;
            }
        }
        return -1;
    }

    private static boolean sameDims(Answer e, Shape shape) {
        return Arrays.equals(e.dims, shape.dims()) || (e.kind == Shape.Kind.SAMPLE
                && Arrays.equals(e.dims, shape.sampleShape().dims()));
    }

    // ---- shapes ----

    private static void shapes(Answer y, Answer e, Where where, Findings found) {
        int[] ed = e.dims;
        int[] yd = y.dims;
        Shape.Kind kind = e.kind;
        if (kind == null && (where.quantity == Quantity.OUTPUT || where.quantity == Quantity.INPUT)) {
            kind = Shape.Kind.SUMMARY;      // it matched a layer's summary shape
        }
        if (kind == null && ed.length > 0 && ed[0] == Shape.NONE) {
            kind = Shape.Kind.SUMMARY;
        }
        boolean eBatch = kind == Shape.Kind.SUMMARY || kind == Shape.Kind.ARRAY;
        int[] es = ed;
        int[] ys = yd;
        if (eBatch && ed.length > 0) {
            es = tail(ed);
            boolean yBatch;
            if (yd.length >= ed.length) {
                yBatch = true;
            } else if (Arrays.equals(yd, es) || yd.length == 0) {
                yBatch = false;
            } else {
                yBatch = yd[0] == ed[0] || (yd[0] == Shape.NONE && kind == Shape.Kind.SUMMARY);
            }
            if (!yBatch) {
                found.add(Mistake.BATCH_FORGOTTEN, kind == Shape.Kind.ARRAY
                        ? "The batch axis is missing: the arrays a model reads and returns have the batch axis first,"
                        + " with its real size (the number of samples)."
                        : "The batch axis is missing: a summary shape starts with None, the batch axis (any batch"
                        + " size fits); without it you wrote the shape of one sample.");
            } else {
                ys = tail(yd);
                if (yd[0] != ed[0]) {
                    if (ed[0] == Shape.NONE) {
                        found.add(Mistake.BATCH_SIZE_FOR_NONE, "In a summary shape the batch axis is None: the"
                                + " model takes any batch size, so the summary does not give a number there.");
                    } else if (yd[0] == Shape.NONE) {
                        found.add(Mistake.NONE_FOR_BATCH_SIZE, "A real array has a real batch size: None is what"
                                + " summaries show for \"any batch size\"; an array's first axis is the number of"
                                + " samples in it.");
                    } else {
                        found.add(Mistake.AXES_DIFFER, "The batch axis (the first) is not the number of samples in"
                                + " this batch.");
                    }
                }
            }
        } else if (kind == Shape.Kind.SAMPLE) {
            if (yd.length == ed.length + 1 && (yd[0] == Shape.NONE || Arrays.equals(tail(yd), ed))) {
                found.add(Mistake.BATCH_ADDED, "That is the summary form: a declared sample shape (input_shape, the"
                        + " shape of one sample) leaves the batch axis out.");
                ys = tail(yd);
            }
        } else if (ed.length > 0) {
            // Not said which kind, and no None in front: an array shape such as (64, 10), or a sample shape.
            if (yd.length == ed.length && yd[0] == Shape.NONE && Arrays.equals(tail(yd), tail(ed))) {
                found.add(Mistake.NONE_FOR_BATCH_SIZE, "A real array has a real batch size: None is what summaries"
                        + " show for \"any batch size\"; an array's first axis is the number of samples in it.");
                return;
            }
            if (Arrays.equals(yd, tail(ed))) {
                found.add(Mistake.BATCH_FORGOTTEN, "The batch axis is missing: the arrays a model reads and returns"
                        + " have the batch axis first, with its real size (the number of samples).");
                return;
            }
        }
        if (!Arrays.equals(ys, es)) {
            sampleAxes(ys, es, eBatch ? 1 : 0, where, found);
        }
    }

    /** Compares the sample parts ({@code offset} 1 when the batch axis was cut off, for naming axes). */
    private static void sampleAxes(int[] ys, int[] es, int offset, Where where, Findings found) {
        int before = found.size();
        List<String> names = where.quantity == Quantity.OUTPUT || where.quantity == Quantity.INPUT
                ? AnswerWords.axisNames(where, es.length + offset) : null;
        if (where.quantity == Quantity.OUTPUT) {
            layerShapeRules(ys, where, found);
            modelShapeVariants(ys, where, found, s -> s.sampleShape().dims());
        }
        if (found.size() > before) {
            return;
        }
        int channel = channelIndex(where, es.length);
        if (ys.length == es.length - 1) {
            if (channel >= 0 && Arrays.equals(ys, without(es, channel))) {
                found.add(Mistake.CHANNEL_FORGOTTEN, AnswerWords.channelForgotten(where));
                return;
            }
            for (int i = 0; i < es.length; i++) {
                if (Arrays.equals(ys, without(es, i))) {
                    found.add(Mistake.RANK, "One axis is missing: " + AnswerWords.axis(i + offset, names) + ".");
                    return;
                }
            }
        }
        if (ys.length != es.length) {
            int diff = ys.length - es.length;
            found.add(Mistake.RANK, "Your shape has " + plural(ys.length + offset, "axis", "axes") + ", the answer "
                    + (diff > 0 ? "fewer" : "more") + (diff == 1 || diff == -1 ? ": one axis " + (diff > 0 ? "too many"
                    : "is missing") : "") + ".");
            return;
        }
        if (es.length >= 2 && isPermutation(ys, es)) {
            // The expected shape is channels_last unless its layer says channels_first.
            boolean channelsFirst = AnswerWords.format(where) == DataFormat.CHANNELS_FIRST;
            boolean yoursFirst = !channelsFirst && Arrays.equals(ys, lastToFront(es));
            boolean yoursLast = channelsFirst && Arrays.equals(ys, frontToLast(es));
            if (yoursFirst || yoursLast) {
                found.add(Mistake.CHANNELS_SWAPPED, AnswerWords.swapped(where, yoursFirst, es.length + offset));
            } else {
                found.add(Mistake.AXES_ORDER, "The right sizes in another order: check which axis comes where.");
            }
            return;
        }
        if (where.quantity == Quantity.NONE) {
            // No layer told: spatial axes all too large by the same amount, the others right.
            int delta = 0;
            boolean spatialOnly = es.length >= 2;
            for (int i = 0; i < es.length && spatialOnly; i++) {
                if (ys[i] == es[i]) {
                    continue;
                }
                int d = ys[i] - es[i];
                spatialOnly = i != channel && es[i] != Shape.NONE && ys[i] != Shape.NONE && d > 0
                        && (delta == 0 || d == delta);
                delta = d;
            }
            if (spatialOnly && delta > 0) {
                found.add(Mistake.VALID_SHRINK_FORGOTTEN, "Some axes are too large while the rest is right: a"
                        + " convolution or pooling with padding \"valid\" shrinks them (a window of k fits only"
                        + " L - k + 1 times), and pooling divides them.");
                return;
            }
        }
        List<String> wrong = new ArrayList<>();
        List<String> fine = new ArrayList<>();
        for (int i = 0; i < es.length; i++) {
            (ys[i] == es[i] ? fine : wrong).add(AnswerWords.axis(i + offset, names));
        }
        found.add(Mistake.AXES_DIFFER, "The number of axes is right; " + String.join(" and ", wrong)
                + (wrong.size() == 1 ? " is" : " are") + " not" + (fine.isEmpty() ? "." : " (" + String.join(", ",
                fine) + (fine.size() == 1 ? " is" : " are") + " right)."));
    }

    /** Where the channels are in a layer's output sample shape, or -1 for a shape without channels. */
    private static int channelIndex(Where where, int sampleRank) {
        if (sampleRank < 2) {
            return -1;
        }
        DataFormat format = AnswerWords.format(where);
        return format == DataFormat.CHANNELS_FIRST ? 0 : sampleRank - 1;
    }

    // ---- the layer's own rules ----

    private static void layerShapeRules(int[] ys, Where where, Findings found) {
        Layer layer = where.layer;
        Shape in = layer.inputShape();
        Shape out = layer.outputShape();
        int[] os = out.sampleShape().dims();
        if (layer instanceof BaseConv<?> || layer instanceof BasePooling<?>) {
            windowRules(ys, layer, in, os, found);
        } else if (layer instanceof BaseRNN<?> || layer instanceof Bidirectional) {
            BaseRNN<?> rnn = layer instanceof Bidirectional b ? b.forwardLayer() : (BaseRNN<?>) layer;
            int width = out.get(-1);
            int steps = in.get(1);
            if (rnn.returnSequences() && Arrays.equals(ys, new int[] {width})) {
                found.add(Mistake.RETURN_SEQUENCES, "The time axis is missing: with return_sequences=True the layer"
                        + " outputs one vector per time step, (None, timesteps, units); only without it does it"
                        + " return the last step alone.");
            } else if (!rnn.returnSequences() && Arrays.equals(ys, new int[] {steps, width})) {
                found.add(Mistake.RETURN_SEQUENCES, "That is what return_sequences=True gives. By default a recurrent"
                        + " layer returns only its last step's output: no time axis.");
            } else if (ys.length == os.length && ys.length > 0 && ys[ys.length - 1] == in.get(-1)
                    && Arrays.equals(Arrays.copyOf(ys, ys.length - 1), Arrays.copyOf(os, os.length - 1))) {
                found.add(Mistake.UNITS_NOT_FEATURES, "The last axis is still the input's features: a recurrent"
                        + " layer outputs units values per step, whatever the input's width.");
            } else if (layer instanceof Bidirectional && ys.length == os.length && ys.length > 0
                    && ys[ys.length - 1] * 2 == os[os.length - 1]) {
                found.add(Mistake.ONE_DIRECTION, "Bidirectional joins two layers, one reading forwards and one"
                        + " backwards, and by default concatenates their outputs.");
            }
        } else if (layer instanceof Dense) {
            int[] is = in.sampleShape().dims();
            if (is.length > 1 && Arrays.equals(ys, new int[] {os[os.length - 1]})) {
                found.add(Mistake.DENSE_LAST_AXIS, "Dense acts on the last axis only; the other axes stay as they"
                        + " are (it does not flatten).");
            } else if (Arrays.equals(ys, is)) {
                found.add(Mistake.UNITS_NOT_FEATURES, "That is the input's shape: Dense replaces the last axis by its"
                        + " units.");
            }
        }
    }

    private static void windowRules(int[] ys, Layer layer, Shape in, int[] os, Findings found) {
        boolean conv = layer instanceof BaseConv<?>;
        DataFormat format = conv ? ((BaseConv<?>) layer).dataFormat() : ((BasePooling<?>) layer).dataFormat();
        int[] kernel = conv ? ((BaseConv<?>) layer).kernelSize() : ((BasePooling<?>) layer).poolSize();
        int[] strides = conv ? ((BaseConv<?>) layer).strides() : ((BasePooling<?>) layer).strides();
        int[] dilation = conv ? ((BaseConv<?>) layer).dilationRate() : ones(kernel.length);
        Padding padding = conv ? ((BaseConv<?>) layer).padding() : ((BasePooling<?>) layer).padding();
        int first = format.firstSpatialAxis() - 1;     // in the sample shape
        int channel = format == DataFormat.CHANNELS_FIRST ? 0 : os.length - 1;
        if (ys.length != os.length) {
            return;
        }
        int before = found.size();
        int[] lengths = new int[kernel.length];
        for (int a = 0; a < kernel.length; a++) {
            lengths[a] = in.get(format.firstSpatialAxis() + a);
        }
        String where = AnswerWords.spatialWords(kernel.length);
        String window = AnswerWords.windowText(kernel, conv);
        Map<Mistake, String> variants = new LinkedHashMap<>();
        Map<Mistake, int[]> sizes = new LinkedHashMap<>();
        boolean strided = Arrays.stream(strides).anyMatch(s -> s > 1);
        boolean dilated = Arrays.stream(dilation).anyMatch(d -> d > 1);
        if (padding == Padding.VALID) {
            sizes.put(Mistake.VALID_SHRINK_FORGOTTEN, axes(lengths, (a, l) -> strided
                    ? Math.floorDiv(l - 1, strides[a]) + 1 : l));
            variants.put(Mistake.VALID_SHRINK_FORGOTTEN, conv
                    ? capital(where) + (kernel.length == 1 ? " is" : " are") + " the input's: with padding"
                    + " \"valid\" the " + window + " must fit inside the input, so " + (kernel.length == 1 ? "it loses"
                    : "each of them loses") + " kernel_size - 1 positions" + (strided ? " before the strides skip some"
                    : "") + "."
                    : "Rounded up: with padding \"valid\" a pooling window counts only where it fits entirely, so"
                    + " the size is rounded down.");
            sizes.put(Mistake.WINDOW_OFF_BY_ONE, axes(lengths, (a, l) -> Math.floorDiv(l - span(kernel[a],
                    dilation[a]), strides[a])));
            variants.put(Mistake.WINDOW_OFF_BY_ONE, "One position short: a window of k fits L - k + 1 times, the"
                    + " first position counts too" + (strided ? " (then floor((L - k) / s) + 1 with strides s)" : "")
                    + ".");
        }
        if (strided && conv) {
            sizes.put(Mistake.STRIDES_FORGOTTEN, axes(lengths, (a, l) -> WindowArithmetic.convOutputLength(l,
                    kernel[a], 1, dilation[a], padding)));
            variants.put(Mistake.STRIDES_FORGOTTEN, "Counted as if the window moved one step at a time: with strides "
                    + AnswerWords.tuple(strides) + " it moves that many steps, so it keeps only about one position in "
                    + strides[0] + ": floor((L - k) / s) + 1.");
        }
        if (dilated) {
            sizes.put(Mistake.DILATION_FORGOTTEN, axes(lengths, (a, l) -> WindowArithmetic.convOutputLength(l,
                    kernel[a], strides[a], 1, padding)));
            variants.put(Mistake.DILATION_FORGOTTEN, "Counted as if the kernel were not dilated: with dilation_rate "
                    + AnswerWords.tuple(dilation) + " its taps are spread out, so it spans d * (k - 1) + 1 steps of"
                    + " the input.");
        }
        if (!conv) {
            if (Arrays.equals(strides, kernel)) {
                sizes.put(Mistake.POOLING_STRIDES, axes(lengths, (a, l) -> WindowArithmetic.poolOutputLength(l,
                        kernel[a], 1, padding)));
                variants.put(Mistake.POOLING_STRIDES, "Counted as a window moving one step at a time: a pooling"
                        + " layer's strides default to its pool_size, so the windows do not overlap and "
                        + AnswerWords.poolEffect(kernel) + ".");
            }
            sizes.put(Mistake.POOLING_FORGOTTEN, lengths.clone());
            variants.put(Mistake.POOLING_FORGOTTEN, capital(where) + (kernel.length == 1 ? " is" : " are")
                    + " the input's: pooling "
                    + AnswerWords.poolEffect(kernel) + ".");
        }
        int[] yourSpatial = Arrays.copyOfRange(ys, first, first + kernel.length);
        int[] rightSpatial = Arrays.copyOfRange(os, first, first + kernel.length);
        boolean spatialRight = Arrays.equals(yourSpatial, rightSpatial);
        if (!spatialRight) {
            for (Map.Entry<Mistake, int[]> variant : sizes.entrySet()) {
                if (Arrays.equals(yourSpatial, variant.getValue()) && !Arrays.equals(variant.getValue(), rightSpatial)) {
                    found.add(variant.getKey(), variants.get(variant.getKey()));
                    break;
                }
            }
        }
        boolean channelRight = ys[channel] == os[channel];
        int inChannels = in.get(format.channelAxis(in.rank()));
        if (!channelRight && conv && ys[channel] == inChannels) {
            found.add(Mistake.FILTERS_NOT_CHANNELS, "The channels are the input's: a convolution outputs one channel"
                    + " per filter, whatever the input's channels.");
        }
        if (found.size() > before && !(spatialRight && channelRight)) {
            boolean explainedSpatial = spatialRight || !found.isEmptyOf(sizes.keySet());
            boolean explainedChannel = channelRight || found.has(Mistake.FILTERS_NOT_CHANNELS);
            if (!explainedSpatial) {
                found.add(Mistake.AXES_DIFFER, capital(where) + (kernel.length == 1 ? " is" : " are")
                        + " not right either.");
            } else if (!explainedChannel) {
                found.add(Mistake.AXES_DIFFER, "The channels are not right either: there is one per "
                        + (conv ? "filter." : "input channel (pooling keeps them)."));
            }
        }
    }

    // ---- variants of the whole model: a mistake made in every layer ----

    /** A mistake made throughout a model, as a model built with that mistake. */
    private record ModelVariant(Mistake mistake, String message, Function<Layer, Map<String, Object>> change) {
    }

    private static final Map<String, Object> DROP = Map.of();

    private static List<ModelVariant> modelVariants() {
        return List.of(
                new ModelVariant(Mistake.VALID_SHRINK_FORGOTTEN, "As if the convolutions kept the size: with padding"
                        + " \"valid\" a kernel must fit inside its input, so each convolution has kernel_size - 1"
                        + " fewer positions than its input on every spatial axis.",
                        l -> l instanceof BaseConv<?> c && c.padding() == Padding.VALID
                                ? Map.of("padding", "same") : null),
                new ModelVariant(Mistake.POOLING_FORGOTTEN, "As if the pooling layers were not there: each pooling"
                        + " layer divides the spatial axes by its pool size (rounding down).",
                        l -> l instanceof BasePooling<?> ? DROP : null),
                new ModelVariant(Mistake.STRIDES_FORGOTTEN, "As if the convolutions moved one step at a time: strides"
                        + " s keep only about one position in s.",
                        l -> l instanceof BaseConv<?> c && Arrays.stream(c.strides()).anyMatch(s -> s > 1)
                                ? Map.of("strides", List.of(1, 1).subList(0, c.strides().length)) : null),
                new ModelVariant(Mistake.DILATION_FORGOTTEN, "As if the kernels were not dilated: a dilated kernel"
                        + " spans d * (k - 1) + 1 steps.",
                        l -> l instanceof BaseConv<?> c && Arrays.stream(c.dilationRate()).anyMatch(d -> d > 1)
                                ? Map.of("dilation_rate", List.of(1, 1).subList(0, c.dilationRate().length)) : null));
    }

    /** For a Sequential context: the same model with one mistake made everywhere; does your answer come out? */
    private static void modelShapeVariants(int[] ys, Where where, Findings found, Function<Shape, int[]> part) {
        if (!(where.model instanceof Sequential model) || where.index < 0) {
            return;
        }
        for (ModelVariant variant : modelVariants()) {
            if (found.has(variant.mistake())) {
                continue;
            }
            Shape out = ModelVariants.output(model, where.index, variant.change());
            if (out != null && Arrays.equals(part.apply(out), ys)
                    && !Arrays.equals(part.apply(where.layer.outputShape()), ys)) {
                found.add(variant.mistake(), variant.message());
                return;
            }
        }
    }

    // ---- numbers ----

    private static void numbers(long y, long e, Where where, Findings found) {
        if (where.quantity == Quantity.PARAMS) {
            params(y, e, where, found);
        } else if (where.quantity == Quantity.AXIS) {
            axisNumber(y, where, found);
        } else if (where.quantity == Quantity.NONE && y > 0 && y < e) {
            long d = e - y;
            if (y % d == 0 && y / d >= 2) {
                found.add(Mistake.BIAS_FORGOTTEN, "If this counts parameters: are the biases missing? Every unit"
                        + " (or filter) has one bias besides its weights.");
            } else if (e == 4 * y || e == 3 * y) {
                found.add(Mistake.GATES_FORGOTTEN, "If this counts an " + (e == 4 * y ? "LSTM" : "GRU") + "'s"
                        + " parameters: it has " + (e == 4 * y ? "4" : "3") + " gates, each with weights of its own.");
            }
        }
    }

    private static void params(long y, long e, Where where, Findings found) {
        long biases = 0;
        for (Layer layer : where.paramLayers()) {
            biases += biasSize(layer);
        }
        Layer layer = where.layer;
        if (layer instanceof BaseRNN<?> || layer instanceof Bidirectional) {
            recurrentParams(y, e, layer, biases, found);
        } else if (layer instanceof BaseConv<?> conv) {
            long k = Arrays.stream(conv.kernelSize()).asLongStream().reduce(1, (a, b) -> a * b);
            long in = conv.inputShape().get(conv.dataFormat().channelAxis(conv.inputShape().rank()));
            long filters = conv.filters();
            long bias = conv.useBias() ? filters : 0;
            if (in > 1 && (y == k * filters + bias || y == k * filters)) {
                found.add(Mistake.INPUT_CHANNELS_FORGOTTEN, "Each filter is as deep as its input: its kernel has"
                        + " kernel_size x input channels weights, not kernel_size alone.");
                if (bias > 0 && y == k * filters) {
                    found.add(Mistake.BIAS_FORGOTTEN, biasMessage(layer));
                }
                return;
            }
            if (filters > 1 && (y == k * in + (bias > 0 ? 1 : 0) || (bias > 0 && y == k * in))) {
                found.add(Mistake.ONE_FILTER, "That is one filter's weights: the layer has " + filters + " filters,"
                        + " each with a kernel (and a bias) of its own.");
                return;
            }
        } else if (layer instanceof Dense dense) {
            Shape input = dense.inputShape();
            long features = input.get(-1);
            long all = input.sampleElements();
            long bias = dense.useBias() ? dense.units() : 0;
            if (input.rank() > 2 && all > features && (y == all * dense.units() + bias || y == all * dense.units())) {
                found.add(Mistake.DENSE_LAST_AXIS, "Dense's kernel reads only the last axis, (last axis, units); every"
                        + " position along the other axes shares that one kernel, so they add no weights.");
                return;
            }
        }
        if (biases > 0 && y == e - biases) {
            found.add(Mistake.BIAS_FORGOTTEN, layer != null ? biasMessage(layer)
                    : "The biases are missing: every unit or filter of every layer has one bias besides its weights.");
        }
    }

    private static void recurrentParams(long y, long e, Layer layer, long biases, Findings found) {
        BaseRNN<?> rnn = layer instanceof Bidirectional b ? b.forwardLayer() : (BaseRNN<?>) layer;
        long directions = layer instanceof Bidirectional ? 2 : 1;
        long gates = rnn.gates();
        long units = rnn.units();
        long features = layer.inputShape().get(-1);
        long perDirectionBias = biases / directions;
        long kernel = features * units * gates;
        long recurrent = units * units * gates;
        if (directions == 2 && y * 2 == e) {
            found.add(Mistake.ONE_DIRECTION, "That is one direction: Bidirectional holds two layers, forwards and"
                    + " backwards, each with weights of its own.");
            return;
        }
        if (gates > 1 && y * gates == e) {
            found.add(Mistake.GATES_FORGOTTEN, "That is one gate's worth: " + gateWords(rnn) + ", each with its own"
                    + " kernel, recurrent kernel and bias.");
            return;
        }
        if (y == directions * (kernel + perDirectionBias) || (biases > 0 && y == directions * kernel)) {
            found.add(Mistake.RECURRENT_KERNEL_FORGOTTEN, "The recurrent kernel is missing: at every step each unit"
                    + " also reads the layer's previous output, units x units weights per gate.");
            if (biases > 0 && y == directions * kernel) {
                found.add(Mistake.BIAS_FORGOTTEN, biasMessage(layer));
            }
            return;
        }
        if (biases > 0 && y == e - biases) {
            found.add(Mistake.BIAS_FORGOTTEN, biasMessage(layer));
        }
    }

    private static String gateWords(BaseRNN<?> rnn) {
        if (rnn instanceof LSTM) {
            return "an LSTM has 4 gates (input, forget, cell and output)";
        }
        if (rnn instanceof GRU) {
            return "a GRU has 3 gates (update, reset and the candidate)";
        }
        return "the layer has " + rnn.gates() + " gates";
    }

    private static String biasMessage(Layer layer) {
        if (layer instanceof BaseConv<?>) {
            return "The biases are missing: every filter has one bias, added after its kernel.";
        }
        if (layer instanceof BaseRNN<?> || layer instanceof Bidirectional) {
            return "The biases are missing: every gate has one bias per unit.";
        }
        return "The biases are missing: every unit has one bias besides its weights.";
    }

    private static long biasSize(Layer layer) {
        long n = 0;
        for (WeightSpec weight : layer.weights()) {
            if (weight.name().equals("bias") || weight.name().endsWith("_bias")) {
                n += weight.size();
            }
        }
        return n;
    }

    /** A size on one axis of a layer's output (a length, the values Flatten outputs). */
    private static void axisNumber(long y, Where where, Findings found) {
        Layer layer = where.layer;
        int axis = where.axis;
        int[] os = layer.outputShape().sampleShape().dims();
        int[] ys = os.clone();
        if (y > Integer.MAX_VALUE || y < 1) {
            return;
        }
        ys[axis - 1] = (int) y;
        if (layer instanceof BaseConv<?> || layer instanceof BasePooling<?>) {
            windowRules(ys, layer, layer.inputShape(), os, found);
            found.dropAll(Mistake.AXES_DIFFER);
        }
        if (found.size() == 0 && layer instanceof Flatten) {
            Shape before = layer.inputShape();
            DataFormat format = before.rank() > 2 ? DataFormat.CHANNELS_LAST : null;
            if (format != null && before.isSampleFullyKnown()) {
                long spatial = before.sampleElements() / before.get(format.channelAxis(before.rank()));
                if (y == spatial && spatial != before.sampleElements()) {
                    found.add(Mistake.CHANNEL_FORGOTTEN, "Rows times cols is not all: Flatten also lays out every"
                            + " channel, so multiply by the channels too.");
                    return;
                }
            }
        }
        if (found.size() == 0) {
            modelShapeVariants(ys, where, found, s -> s.sampleShape().dims());
        }
    }

    private static void shapeForNumber(Answer y, Answer e, Findings found) {
        int[] d = y.dims;
        long product = 1;
        boolean known = true;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == Shape.NONE) {
                known &= i == 0;
                continue;
            }
            product *= d[i];
        }
        if (d.length > 0 && d[d.length - 1] == e.number) {
            found.add(Mistake.SHAPE_FOR_NUMBER, "The exercise asks for a number, not a shape: the size your shape"
                    + " ends with.");
        } else if (known && product == e.number) {
            found.add(Mistake.SHAPE_FOR_NUMBER, "The exercise asks for a number, not a shape: how many values that"
                    + " shape holds per sample (multiply its sizes).");
        } else {
            found.add(Mistake.SHAPE_FOR_NUMBER, "The exercise asks for a single number, not a shape.");
        }
    }

    // ---- small helpers ----

    /** The findings so far, one per mistake, in the order found. */
    static final class Findings {
        private final List<Verdict.Finding> list = new ArrayList<>();

        void add(Mistake mistake, String message) {
            if (!has(mistake)) {
                list.add(new Verdict.Finding(mistake, message));
            }
        }

        boolean has(Mistake mistake) {
            return list.stream().anyMatch(f -> f.mistake() == mistake);
        }

        boolean isEmptyOf(java.util.Collection<Mistake> mistakes) {
            return list.stream().noneMatch(f -> mistakes.contains(f.mistake()));
        }

        void dropAll(Mistake mistake) {
            list.removeIf(f -> f.mistake() == mistake);
        }

        int size() {
            return list.size();
        }

        List<Verdict.Finding> list() {
            return List.copyOf(list);
        }
    }

    private interface AxisRule {
        int length(int axis, int inputLength);
    }

    private static int[] axes(int[] lengths, AxisRule rule) {
        int[] out = new int[lengths.length];
        for (int a = 0; a < lengths.length; a++) {
            out[a] = lengths[a] == Shape.NONE ? Shape.NONE : rule.length(a, lengths[a]);
        }
        return out;
    }

    private static int span(int kernel, int dilation) {
        return WindowArithmetic.windowSpan(kernel, dilation);
    }

    private static int[] ones(int n) {
        int[] out = new int[n];
        Arrays.fill(out, 1);
        return out;
    }

    static int[] tail(int[] dims) {
        return dims.length == 0 ? dims : Arrays.copyOfRange(dims, 1, dims.length);
    }

    private static int[] without(int[] dims, int index) {
        int[] out = new int[dims.length - 1];
        for (int i = 0, j = 0; i < dims.length; i++) {
            if (i != index) {
                out[j++] = dims[i];
            }
        }
        return out;
    }

    private static int[] lastToFront(int[] dims) {
        int[] out = new int[dims.length];
        out[0] = dims[dims.length - 1];
        System.arraycopy(dims, 0, out, 1, dims.length - 1);
        return out;
    }

    private static int[] frontToLast(int[] dims) {
        int[] out = new int[dims.length];
        System.arraycopy(dims, 1, out, 0, dims.length - 1);
        out[dims.length - 1] = dims[0];
        return out;
    }

    private static boolean isPermutation(int[] a, int[] b) {
        int[] x = a.clone();
        int[] y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        return Arrays.equals(x, y);
    }

    private static String plural(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    static String capital(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
