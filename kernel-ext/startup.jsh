// ShapeLab's JShell start-up: the public API under its Keras names, so a cell reads like Keras.
import org.shapelab.shape.*;
import org.shapelab.layers.*;
import org.shapelab.model.*;
import static org.shapelab.shape.Shape.NONE;
