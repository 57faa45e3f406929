package org.shapelab.compute;

import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.shapelab.layers.Dense;

/**
 * {@code activation(x · kernel + bias)} on the last axis. Any leading axes are merged into rows first
 * ({@code (batch, 28, 28) -> (batch·28, 28)}), so the whole batch is one matrix product ({@code matmul}), then
 * the bias is added in place ({@code biasadd}). libnd4j's fused {@code xw_plus_b} runs the same two steps
 * through nested ops and costs twice as much for one sample (29 µs against 18 µs for 1×400·400×120).
 */
final class DenseComputation implements Computation {

    /** Below this many multiply-adds libnd4j's own product is faster than oneDNN's (see NativeOp.oneDnnIf). */
    static final long ONE_DNN_MIN_MULTIPLY_ADDS = 1L << 20;

    private final INDArray kernel;
    private final INDArray bias;
    private final NativeOp product;
    private final NativeOp addBias;
    private final ReshapedView rowsView = new ReshapedView();
    private final ReshapedView outputView = new ReshapedView();
    private final ActivationFunction activation;

    DenseComputation(Dense layer, List<INDArray> weights) {
        this.kernel = weights.get(0);
        this.bias = layer.useBias() ? weights.get(1) : null;
        this.product = new NativeOp("matmul");
        this.addBias = bias != null ? new NativeOp("biasadd").booleans(false) : null;
        this.activation = ActivationFunction.of(layer.activation());
    }

    @Override
    public INDArray forward(INDArray input, INDArray mask) {
        long[] shape = input.shape().clone();
        long features = shape[shape.length - 1];
        INDArray rows = input.rank() == 2 ? input : rowsView.of(input, input.length() / features, features);
        INDArray out = product.output(rows.size(0), kernel.size(1));
        product.oneDnnIf(rows.size(0) * kernel.size(0) * kernel.size(1) >= ONE_DNN_MIN_MULTIPLY_ADDS).run(out, rows, kernel);
        if (addBias != null) {
            addBias.run(out, out, bias);
        }
        out = activation.apply(out);
        if (input.rank() == 2) {
            return out;
        }
        shape[shape.length - 1] = kernel.size(1);
        return outputView.of(out, shape);
    }

    @Override
    public INDArray outputMask(INDArray input, INDArray mask) {
        return mask;
    }

    // ---- training ----

    /** The last training forward pass: its input as rows, the product before and after the activation. */
    private INDArray trainedRows;
    private INDArray trainedSum;
    private INDArray trainedOutput;
    private final NativeOp transposedProduct = new NativeOp("matmul", 1, 0, 0);
    private final NativeOp productTransposed = new NativeOp("matmul", 0, 1, 0);

    @Override
    public boolean trains() {
        return true;
    }

    @Override
    public INDArray forwardTraining(INDArray input, INDArray mask, TrainingStep step) {
        long features = input.size(input.rank() - 1);
        trainedRows = input.reshape('c', input.length() / features, features);
        INDArray sum = product.run(NativeOp.empty(trainedRows.size(0), kernel.size(1)), trainedRows, kernel);
        if (addBias != null) {
            addBias.run(sum, sum, bias);
        }
        trainedSum = sum;
        trainedOutput = activation.apply(sum.dup());
        long[] shape = input.shape().clone();
        shape[shape.length - 1] = kernel.size(1);
        return trainedOutput.reshape('c', shape);
    }

    /** {@code dz = activation'(z)·g; d kernel = xᵀ·dz; d bias = Σ dz; dx = dz·kernelᵀ}. */
    @Override
    public INDArray backward(INDArray gradient, INDArray[] weightGradients) {
        INDArray dz = weightGradients(gradient, weightGradients);
        INDArray dx = productTransposed.run(NativeOp.empty(trainedRows.shape()), dz, kernel);
        long[] inputShape = gradient.shape().clone();
        inputShape[inputShape.length - 1] = kernel.size(0);
        return dx.reshape('c', inputShape);
    }

    @Override
    public INDArray backwardWeightsOnly(INDArray gradient, INDArray[] weightGradients) {
        weightGradients(gradient, weightGradients);
        return null;
    }

    /** Fills the kernel's and bias's gradients; returns {@code dz}. */
    private INDArray weightGradients(INDArray gradient, INDArray[] weightGradients) {
        INDArray dz = activation.gradient(trainedSum, trainedOutput, gradient.reshape('c', trainedOutput.shape()));
        weightGradients[0] = transposedProduct.run(NativeOp.empty(kernel.shape()), trainedRows, dz);
        if (bias != null) {
            weightGradients[1] = dz.sum(0);
        }
        return dz;
    }
}
