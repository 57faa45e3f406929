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

    /** -1 means "depends on an axis of unknown size": tablesaw's missing value, shown empty. */
    private static void appendKnown(LongColumn column, long value) {
        if (value < 0) {
            column.appendMissing();
        } else {
            column.append(value);
        }
    }
}
