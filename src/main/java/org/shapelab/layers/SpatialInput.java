package org.shapelab.layers;

import org.shapelab.shape.DataFormat;
import org.shapelab.shape.KerasWords;
import org.shapelab.shape.Padding;
import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;
import org.shapelab.shape.WindowArithmetic;

/**
 * The input checks that convolution and pooling layers share: rank, a known channel axis, and the
 * hints that tell a learner how to add a missing axis or that their data looks like the other
 * data format.
 */
final class SpatialInput {

    private SpatialInput() {
    }

    /** Axis names for 1 or 2 spatial dimensions. */
    static String[] spatialNames(int rank) {
        return rank == 1 ? new String[] {"length"} : new String[] {"rows", "cols"};
    }

    /**
     * Checks that {@code input} has {@code spatialRank} spatial axes plus batch and channels.
     *
     * @param needsChannels whether the channel size must be known (it sizes a kernel)
     */
    static void check(Layer layer, Shape input, int spatialRank, DataFormat format, boolean needsChannels) {
        String notation = format.notation(spatialNames(spatialRank));
        int wanted = spatialRank + 2;
        if (input.rank() != wanted) {
            ShapeException.Builder error = layer.inputError(input).expected(notation, Shape.Kind.SUMMARY)
                    .problem(layer.kerasClassName() + " needs " + wanted + " axes (batch, " + String.join(", ",
                            spatialNames(spatialRank)) + ", channels) but got " + input.rank() + ".")
                    .fix(rankFix(layer, input, spatialRank, format));
            // Keras's convolutions ask for at least rank + 2 axes (more fail later, elsewhere); pooling for exactly.
            boolean atLeast = layer instanceof BaseConv<?>;
            if (!atLeast || input.rank() < wanted) {
                error.keras(KerasWords.rank(layer.name(), atLeast, wanted, input));
            }
            throw error.build();
        }
        if (needsChannels && !input.isKnown(format.channelAxis(input.rank()))) {
            throw layer.inputError(input).expected(notation + " with channels known", Shape.Kind.SUMMARY)
                    .problem("the channel axis (" + format + ") is None, so the kernel cannot be sized.")
                    .fix("give the number of channels in the input shape").build();
        }
    }

    private static String rankFix(Layer layer, Shape input, int spatialRank, DataFormat format) {
        int[] sample = input.sampleShape().dims();
        int missing = spatialRank + 2 - input.rank();
        if (missing == 1) {
            String withChannel = format == DataFormat.CHANNELS_LAST ? join(sample) + ", 1" : "1, " + join(sample);
            return "add a channel axis of size 1: declare input(" + withChannel + "), or put reshape(" + withChannel
                    + ") before this layer";
        }
        if (missing == 2 && spatialRank == 2 && sample.length == 1) {
            int side = (int) Math.round(Math.sqrt(sample[0]));
            String example = side * side == sample[0] ? side + ", " + side : "rows, cols";
            String withChannel = format == DataFormat.CHANNELS_LAST ? example + ", 1" : "1, " + example;
            return "Conv2D reads images; if each sample's " + sample[0] + " values are pixels, reshape(" + withChannel + ") them into rows, cols and a channel first";
        }
        if (missing < 0 && spatialRank == 1) {
            return "Conv1D reads sequences (length, channels); for images use Conv2D/MaxPooling2D,"
                    + " or reshape(" + (sample.length > 1 ? "-1, " + sample[sample.length - 1] : "-1, 1")
                    + ") to make one long sequence";
        }
        if (missing < 0) {
            return "you have " + (-missing) + " axis/axes more than " + layer.kerasClassName() + " reads; for a"
                    + " sequence of images wrap the layer: TimeDistributed(" + layer.kerasClassName() + "), or"
                    + " remove the extra axis with reshape";
        }
        return "reshape the data so that each sample is " + format.notation(spatialNames(spatialRank)).replace("None, ", "");
    }

    private static String join(int[] dims) {
        StringBuilder text = new StringBuilder();
        for (int d : dims) {
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(d == Shape.NONE ? "None" : Integer.toString(d));
        }
        return text.toString();
    }

    /**
     * Slides a window over each spatial axis (Keras's output-length rule; pooling is the dilation-1 case)
     * and returns the input shape with those axes replaced. A window that does not fit is reported with
     * how big the input must be, how much is missing, and {@code fix}.
     */
    static Shape slide(Layer layer, Shape input, DataFormat format, int[] window, int[] strides, int[] dilation,
                       Padding padding, String windowName, String fix) {
        Shape output = input;
        for (int i = 0; i < window.length; i++) {
            int axis = format.firstSpatialAxis() + i;
            int length = WindowArithmetic.convOutputLength(input.get(axis), window[i], strides[i], dilation[i], padding);
            if (input.isKnown(axis) && length <= 0) {
                int span = WindowArithmetic.windowSpan(window[i], dilation[i]);
                String described = windowName + (dilation[i] > 1 ? " (size " + window[i] + ", dilation " + dilation[i]
                        + ")" : " of size " + window[i]) + " with padding \"valid\"";
                throw tooSmall(layer, input, format, i, span, described, fix)
                        .keras(kerasTooSmall(layer, input, format, window, strides, dilation, padding)).build();
            }
            output = output.with(axis, length);
        }
        return output;
    }

    /**
     * Reports a window that does not fit: how big the input must be, how much is missing, and the
     * fixes (same padding, smaller window, fewer downsampling layers before).
     */
    private static String kerasTooSmall(Layer layer, Shape input, DataFormat format, int[] window, int[] strides,
                                        int[] dilation, Padding padding) {
        if (layer instanceof BaseConv<?> conv) {
            int[] kernel = java.util.Arrays.copyOf(window, window.length + 2);
            kernel[window.length] = input.get(format.channelAxis(input.rank()));
            kernel[window.length + 1] = conv.filters();
            return KerasWords.convTooSmall(input, kernel, dilation, strides, padding);
        }
        return KerasWords.poolTooSmall(input, window, strides, padding);
    }

    private static ShapeException.Builder tooSmall(Layer layer, Shape input, DataFormat format, int spatialIndex, int span,
                                   String windowText, String paddingHint) {
        String[] names = spatialNames(input.rank() - 2);
        int axis = format.firstSpatialAxis() + spatialIndex;
        int length = input.get(axis);
        ShapeException.Builder builder = layer.inputError(input)
                .expected(format.notation(names).replace(names[spatialIndex], names[spatialIndex] + " >= " + span),
                        Shape.Kind.SUMMARY)
                .problem("the " + windowText + " covers " + span + " " + names[spatialIndex] + " but the input has only "
                        + length + " (axis " + axis + "): it is " + (span - length) + " too small, so the computed"
                        + " output size would be zero or negative.")
                .fix(paddingHint);
        // When the data looks like the other format, that is the mistake, and shrinking less would only hide it.
        String looks = format.swapDescription(input);
        if (looks != null) {
            builder.note(looks).fix(format.swapFixForLayers(input.rank()) + "; if it really is " + format + ": "
                    + paddingHint);
        }
        return builder;
    }
}
