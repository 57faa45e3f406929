package org.shapelab.compute;

import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.shapelab.layers.Dense;

/**
 * {@code activation(x · kernel + bias)} on the last axis. Any leading axes are merged into rows first
 * ({@code (batch, 28, 28) -> (batch·28, 28)}), so the whole batch is one matrix product ({@code xw_plus_b}).
 */
final class DenseKernel implements Kernel {

    private final INDArray kernel;
    private final INDArray bias;
    private final NativeOp product;
    private final ActivationFunction activation;

    DenseKernel(Dense layer, List<INDArray> weights) {
        this.kernel = weights.get(0);
        this.bias = layer.useBias() ? weights.get(1) : null;
        this.product = new NativeOp(bias != null ? "xw_plus_b" : "matmul");
        this.activation = ActivationFunction.of(layer.activation(), 2);
    }

    @Override
    public INDArray forward(INDArray input, INDArray mask) {
        long[] shape = input.shape().clone();
        long features = shape[shape.length - 1];
        INDArray rows = input.rank() == 2 ? input : input.reshape('c', input.length() / features, features);
        INDArray out = product.output(rows.size(0), kernel.size(1));
        if (bias != null) {
            product.run(out, rows, kernel, bias);
        } else {
            product.run(out, rows, kernel);
        }
        out = activation.apply(out);
        if (input.rank() == 2) {
            return out;
        }
        shape[shape.length - 1] = kernel.size(1);
        return out.reshape('c', shape);
    }

    @Override
    public INDArray outputMask(INDArray input, INDArray mask) {
        return mask;
    }
}
