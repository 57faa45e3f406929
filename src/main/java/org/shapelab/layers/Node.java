package org.shapelab.layers;

import java.util.List;

/**
 * One call of a layer on tensors, Keras's inbound node: which tensors went in and which came out. A layer called
 * twice (shared) has two nodes, 0 and 1, on the same weights. {@code sequence} orders all calls as they were made
 * (Keras names layers in that order).
 */
public record Node(Layer layer, int index, List<Tensor> inputs, List<Tensor> outputs, long sequence) {

    public Node {
        inputs = List.copyOf(inputs);
        // outputs is filled by the layer right after the node is made, so it is kept as given
    }
}
