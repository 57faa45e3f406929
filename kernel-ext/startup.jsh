// ShapeLab's JShell start-up: the public API under its Keras names, so a cell reads like Keras.
// Used by ./shapelab jshell, by ShapeLab's own Jupyter kernel and by IJava (IJAVA_STARTUP_SCRIPTS_PATH).
import org.shapelab.shape.*;
import org.shapelab.layers.*;
import org.shapelab.model.*;
import org.shapelab.compute.*;
import org.shapelab.training.*;
import org.shapelab.data.*;
import org.shapelab.display.MimeBundle;
import org.shapelab.display.TensorPreview;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import static org.shapelab.shape.Shape.NONE;
import static org.shapelab.display.ModelDiagram.plotModel;
import static org.shapelab.display.ShapeErrorHtml.explain;
import static org.shapelab.display.Exercise.*;

// In IJava, gives the running kernel ShapeLab's renderers (ShapeLab's own kernel has them; jshell has no kernel).
org.shapelab.kernel.ShapeLabDisplay.attach();

// Shows any value in the cell's output, rich in a notebook (model table, plotModel(model), explain(e)), as text in jshell.
void display(Object value) { org.shapelab.kernel.ShapeLabDisplay.display(value); }
