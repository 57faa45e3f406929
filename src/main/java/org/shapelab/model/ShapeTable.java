package org.shapelab.model;

import java.util.stream.Collectors;

import org.shapelab.layers.Layer;
import org.shapelab.layers.WeightSpec;

import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The extended shape table: everything a learner needs to follow a model's shapes, one row per layer.
 * Columns are named here once so that renderers and tests refer to the same names.
 */
public final class ShapeTable {

    public static final String LAYER = "Layer";
    public static final String TYPE = "Type";
    public static final String INPUT_SHAPE = "Input shape";
    public static final String OUTPUT_SHAPE = "Output shape";
    public static final String PARAMS = "Params";
    public static final String PARAM_FORMULA = "Param formula";
    public static final String WEIGHTS = "Weight shapes";
    public static final String MULTIPLY_ADDS = "Multiply-adds per sample";
    public static final String OUTPUT_VALUES = "Output values per sample";

    private ShapeTable() {
    }

    static Table of(Sequential model) {
        StringColumn layer = StringColumn.create(LAYER);
        StringColumn type = StringColumn.create(TYPE);
        StringColumn input = StringColumn.create(INPUT_SHAPE);
        StringColumn output = StringColumn.create(OUTPUT_SHAPE);
        LongColumn params = LongColumn.create(PARAMS);
        StringColumn formula = StringColumn.create(PARAM_FORMULA);
        StringColumn weights = StringColumn.create(WEIGHTS);
        LongColumn multiplyAdds = LongColumn.create(MULTIPLY_ADDS);
        LongColumn outputValues = LongColumn.create(OUTPUT_VALUES);
        for (Layer l : model.layers()) {
            layer.append(l.name());
            type.append(l.kerasClassName());
            input.append(l.inputShape().toString());
            output.append(l.outputShape().toString());
            params.append(l.countParams());
            formula.append(l.paramFormula());
            weights.append(l.weights().stream().map(WeightSpec::toString).collect(Collectors.joining(", ")));
            appendKnown(multiplyAdds, l.multiplyAdds());
            appendKnown(outputValues, l.outputShape().sampleElements());
        }
        return Table.create("Model \"" + model.name() + "\" " + model.inputShape() + " -> " + model.outputShape(),
                layer, type, input, output, params, formula, weights, multiplyAdds, outputValues);
    }

    /** The "Connected to" column of a functional model's table. */
    public static final String CONNECTED_TO = "Connected to";

    /**
     * A functional model's table: a row per input and per layer call (a shared layer has a row per call), with the
     * tensors the call reads.
     */
    static Table of(Functional model) {
        StringColumn layer = StringColumn.create(LAYER);
        StringColumn type = StringColumn.create(TYPE);
        StringColumn input = StringColumn.create(INPUT_SHAPE);
        StringColumn output = StringColumn.create(OUTPUT_SHAPE);
        LongColumn params = LongColumn.create(PARAMS);
        StringColumn formula = StringColumn.create(PARAM_FORMULA);
        StringColumn connected = StringColumn.create(CONNECTED_TO);
        for (org.shapelab.layers.Input in : model.inputs()) {
            layer.append(model.inputName(in));
            type.append("InputLayer");
            input.append(in.shape().toString());
            output.append(in.shape().toString());
            params.append(0);
            formula.append("0");
            connected.append("");
        }
        for (org.shapelab.layers.Node node : model.nodes()) {
            Layer l = node.layer();
            layer.append(l.name() + (l.nodes().size() > 1 ? " (call " + node.index() + ")" : ""));
            type.append(l.kerasClassName());
            input.append(shapes(node.inputs()));
            output.append(shapes(node.outputs()));
            params.append(node.index() == 0 ? l.countParams() : 0);
            formula.append(node.index() == 0 ? l.paramFormula() : "shared with call 0");
            connected.append(node.inputs().stream().map(model::reference).collect(Collectors.joining(", ")));
        }
        return Table.create("Model \"" + model.name() + "\" " + org.shapelab.shape.Shape.listText(model.inputShapes()) + " -> "
                + org.shapelab.shape.Shape.listText(model.outputShapes()), layer, type, input, output, params, formula, connected);
    }

    private static String shapes(java.util.List<org.shapelab.layers.Tensor> tensors) {
        return org.shapelab.shape.Shape.listText(tensors.stream().map(org.shapelab.layers.Tensor::shape).toList());
    }


    /** -1 means "depends on an axis of unknown size": tablesaw's missing value, shown empty. */
    private static void appendKnown(LongColumn column, long value) {
        if (value < 0) {
            column.appendMissing();
        } else {
            column.append(value);
        }
    }
}
