package org.shapelab.kernel;

import java.util.List;

import org.shapelab.display.MimeBundle;

/**
 * What every kernel registration shows richly, in one place: the value types whose cell value or {@code display(x)}
 * goes through {@link MimeBundle#of}, and the MIME types preferred over plain text. ShapeLab's own kernel and IJava
 * (jupyter-jvm-basekernel's renderer, {@link ShapeLabDisplay}) and JJava (its own renderer, {@link JJavaExtension})
 * register these types and fill each requested MIME type from the same bundle.
 */
final class Displayed {

    /** Add a type here, and its bundle in {@link MimeBundle#of}, to show a new kind of value in every kernel. */
    static final List<Class<?>> TYPES = List.of(org.shapelab.model.Sequential.class, org.shapelab.model.Functional.class,
            org.shapelab.shape.ShapeException.class, MimeBundle.class, org.nd4j.linalg.api.ndarray.INDArray.class,
            org.shapelab.display.TensorPreview.class, org.shapelab.compute.Trace.class,
            org.shapelab.training.History.class);

    /** Preferred, in this order, over text/plain where the front end shows them. */
    static final List<String> RICH = List.of(MimeBundle.HTML, MimeBundle.SVG, MimeBundle.PNG);

    private Displayed() {
    }
}
