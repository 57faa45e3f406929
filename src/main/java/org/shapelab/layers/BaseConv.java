package org.shapelab.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.shapelab.shape.DataFormat;
import org.shapelab.shape.Padding;
import org.shapelab.shape.Shape;

/**
 * What Conv1D and Conv2D share: a kernel sliding over 1 or 2 spatial axes, reading every input
 * channel and writing {@code filters} output channels.
 *
 * <p>Shape rule per spatial axis: valid {@code floor((L - d·(k-1) - 1) / s) + 1}, same/causal
 * {@code floor((L - 1) / s) + 1}; the channel axis becomes {@code filters}.
 * Weights: kernel {@code [k..., in, filters]}, bias {@code [filters]}.
 *
 * @param <T> the concrete layer, so that options chain with its own type
 */
public abstract class BaseConv<T extends BaseConv<T>> extends Layer {

    private final int spatialRank;
    private final int filters;
    private final int[] kernelSize;
    private int[] strides;
    private int[] dilationRate;
    private Padding padding = Padding.VALID;
    private DataFormat dataFormat = DataFormat.imageDataFormat();
    private String activation = "linear";
    private boolean useBias = true;

    protected BaseConv(int spatialRank, int filters, int[] kernelSize) {
        this.spatialRank = spatialRank;
        this.filters = positive("filters", filters);
        this.kernelSize = tuple("kernel_size", kernelSize, spatialRank);
        this.strides = tuple("strides", new int[] {1}, spatialRank);
        this.dilationRate = tuple("dilation_rate", new int[] {1}, spatialRank);
    }

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    /** Step of the window: one value for all axes or one per axis. */
    public T strides(int... values) {
        requireUnbuilt("strides");
        this.strides = tuple("strides", values, spatialRank);
        checkStridesWithDilation();
        return self();
    }

    /** Gaps between kernel taps (atrous convolution); Keras forbids combining it with strides > 1. */
    public T dilationRate(int... values) {
        requireUnbuilt("dilationRate");
        this.dilationRate = tuple("dilation_rate", values, spatialRank);
        checkStridesWithDilation();
        return self();
    }

    /** {@code "valid"} (default), {@code "same"}, or for Conv1D {@code "causal"}. */
    public T padding(String name) {
        requireUnbuilt("padding");
        Padding value = Padding.of(name);
        if (value == Padding.CAUSAL && spatialRank != 1) {
            throw optionError("padding", name, "causal padding exists only for Conv1D (time series);"
                    + " use \"same\" or \"valid\"");
        }
        this.padding = value;
        return self();
    }

    /** {@code "channels_last"} or {@code "channels_first"}; defaults to {@link DataFormat#imageDataFormat()}. */
    public T dataFormat(String name) {
        requireUnbuilt("dataFormat");
        this.dataFormat = DataFormat.of(name);
        return self();
    }

    public T activation(String name) {
        requireUnbuilt("activation");
        this.activation = Activations.check(name, describe());
        return self();
    }

    public T useBias(boolean value) {
        requireUnbuilt("useBias");
        this.useBias = value;
        return self();
    }

    private void checkStridesWithDilation() {
        boolean strided = false;
        boolean dilated = false;
        for (int i = 0; i < spatialRank; i++) {
            strided |= strides[i] > 1;
            dilated |= dilationRate[i] > 1;
        }
        if (strided && dilated) {
            throw optionError("strides", java.util.Arrays.toString(strides), "Keras does not allow strides > 1 together"
                    + " with dilation_rate > 1; use one of them");
        }
    }

    public int filters() {
        return filters;
    }

    public int[] kernelSize() {
        return kernelSize.clone();
    }

    public int[] strides() {
        return strides.clone();
    }

    public int[] dilationRate() {
        return dilationRate.clone();
    }

    public Padding padding() {
        return padding;
    }

    public DataFormat dataFormat() {
        return dataFormat;
    }

    public String activation() {
        return activation;
    }

    public boolean useBias() {
        return useBias;
    }

    @Override
    protected Shape computeOutputShape(Shape input) {
        SpatialInput.check(this, input, spatialRank, dataFormat, true);
        Shape slid = SpatialInput.slide(this, input, dataFormat, kernelSize, strides, dilationRate, padding, "kernel",
                "use padding(\"same\") to keep the size, a smaller kernel_size, or fewer pooling/strided layers"
                        + " before this one");
        return slid.with(dataFormat.channelAxis(input.rank()), filters);
    }

    @Override
    protected List<WeightSpec> buildWeights(Shape input) {
        int inChannels = input.get(dataFormat.channelAxis(input.rank()));
        int[] kernelShape = new int[spatialRank + 2];
        System.arraycopy(kernelSize, 0, kernelShape, 0, spatialRank);
        kernelShape[spatialRank] = inChannels;
        kernelShape[spatialRank + 1] = filters;
        List<WeightSpec> specs = new ArrayList<>();
        specs.add(new WeightSpec("kernel", kernelShape, true, "glorot_uniform"));
        if (useBias) {
            specs.add(new WeightSpec("bias", new int[] {filters}, true, "zeros"));
        }
        return specs;
    }

    @Override
    protected long computeMultiplyAdds(Shape input, Shape output) {
        long outputElements = output.sampleElements();
        if (outputElements < 0) {
            return -1;
        }
        long perOutput = input.get(dataFormat.channelAxis(input.rank()));
        for (int k : kernelSize) {
            perOutput *= k;
        }
        return outputElements * perOutput;
    }

    @Override
    protected void writeConfig(Map<String, Object> config) {
        config.put("filters", filters);
        config.put("kernel_size", listOf(kernelSize));
        config.put("strides", listOf(strides));
        config.put("padding", padding.kerasName());
        config.put("data_format", dataFormat.kerasName());
        config.put("dilation_rate", listOf(dilationRate));
        config.put("activation", activation);
        config.put("use_bias", useBias);
    }

    /** Applies the options shared by Conv1D and Conv2D from a Keras config. */
    T readOptions(LayerConfig c) {
        c.requireDefault("groups", 1);
        strides(c.getTuple("strides", spatialRank, strides));
        dilationRate(c.getTuple("dilation_rate", spatialRank, dilationRate));
        padding(c.getString("padding", "valid"));
        dataFormat(c.getString("data_format", null));
        activation(c.getActivation("activation", "linear"));
        useBias(c.getBoolean("use_bias", true));
        return self();
    }
}
