package org.shapelab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.shapelab.display.MimeBundle;
import org.shapelab.display.ModelDiagram;
import org.shapelab.model.Sequential;
import org.shapelab.shape.ShapeException;

/** ShapeLab in JJava, against JJava's own API (org.dflib.jjava:jjava-jupyter 1.0-a6); JJava itself is not needed. */
class JJavaExtensionTest {

    private final Sequential model = Sequential.input(10).dense(4).dense(1);

    /** What JJava hands an extension: a kernel of jjava-jupyter's API, here recording what it is asked to do. */
    static class FakeJJavaKernel extends BaseKernel {
        final List<String> evaluated = new ArrayList<>();
        final List<DisplayData> displayed = new ArrayList<>();

        FakeJJavaKernel() {
            super("fake", "0", null, List.of(), null, new JupyterIO(StandardCharsets.UTF_8), new CommManager(),
                    new Renderer(), null, null, true, new StringStyler.Builder().build());
        }

        @Override
        public Object evalRaw(String source) {
            evaluated.add(source);
            return null;
        }

        @Override
        public void display(DisplayData data) {
            displayed.add(data);
        }

        @Override
        public DisplayData inspect(String code, int at, boolean extraDetail) {
            return null;
        }

        @Override
        public ReplacementOptions complete(String code, int at) {
            return null;
        }

        @Override
        public String isComplete(String code) {
            return IS_COMPLETE_YES;
        }
    }

    @AfterEach
    void noKernelAfterwards() {
        ShapeLabDisplay.useDisplay(null);
    }

    @Test
    void theJarDeclaresTheExtensionAsJJavaLooksForIt() throws IOException {
        try (InputStream in = getClass().getClassLoader()
                .getResourceAsStream("META-INF/services/org.dflib.jjava.jupyter.Extension")) {
            assertEquals("org.shapelab.kernel.JJavaExtension",
                    new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
        }
        // JJava's own lookup (BaseKernel.installExtensions): ServiceLoader over the notebook's class loader.
        List<String> found = ServiceLoader.load(Extension.class, getClass().getClassLoader()).stream()
                .map(provider -> provider.type().getName()).toList();
        assertEquals(List.of(JJavaExtension.class.getName()), found);
    }

    @Test
    void registersEveryDisplayedTypeWithJJavasRenderer() {
        Renderer renderer = new Renderer();
        JJavaExtension.register(renderer);
        DisplayData table = renderer.render(model);
        assertEquals(MimeBundle.of(model).text(), table.getData(MIMEType.TEXT_PLAIN));
        assertEquals(MimeBundle.of(model).get(MimeBundle.HTML).orElseThrow(), table.getData(MIMEType.TEXT_HTML));
        assertTrue(String.valueOf(table.getData(MIMEType.TEXT_PLAIN)).contains("Total params"));

        DisplayData diagram = renderer.render(ModelDiagram.plotModel(model));
        assertTrue(String.valueOf(diagram.getData(MIMEType.IMAGE_SVG)).startsWith("<svg"));
        assertTrue(String.valueOf(renderer.render(new ShapeException("Unknown data_format 'x'."))
                .getData(MIMEType.TEXT_HTML)).contains("Unknown data_format"));
        // Something ShapeLab does not render stays JJava's plain text.
        assertEquals("42", renderer.render(42).getData(MIMEType.TEXT_PLAIN));
        assertTrue(!renderer.render(42).hasDataForType(MIMEType.TEXT_HTML));
    }

    @Test
    void installRunsTheStartUpScriptAndTakesOverDisplay() throws IOException {
        FakeJJavaKernel kernel = new FakeJJavaKernel();
        new JJavaExtension().install(kernel);
        assertEquals(List.of(Files.readString(Path.of("kernel-ext/startup.jsh"))), kernel.evaluated);
        assertTrue(kernel.getRenderer().render(model).hasDataForType(MIMEType.TEXT_HTML));

        // display(x) in a cell (startup.jsh) and Exercise's feedback go through ShapeLabDisplay.display.
        ShapeLabDisplay.display(model);
        ShapeLabDisplay.display(null);
        assertEquals(2, kernel.displayed.size());
        assertEquals(MimeBundle.of(model).get(MimeBundle.HTML).orElseThrow(),
                kernel.displayed.get(0).getData(MIMEType.TEXT_HTML));
        assertEquals("null", kernel.displayed.get(1).getData(MIMEType.TEXT_PLAIN));

        new JJavaExtension().uninstall(kernel);
        ShapeLabDisplay.display(model);
        assertEquals(2, kernel.displayed.size(), "after uninstall, display no longer goes to that kernel");
    }

    @Test
    void fitShowsItsProgressBarThroughJJava() {
        FakeJJavaKernel kernel = new FakeJJavaKernel();
        new JJavaExtension().install(kernel);
        try {
            org.nd4j.linalg.api.ndarray.INDArray x = org.nd4j.linalg.factory.Nd4j.rand(
                    org.nd4j.linalg.api.buffer.DataType.FLOAT, 40, 3);
            Sequential.input(3).dense(1).compile("sgd", "mse")
                    .fit(x, x.sum(1), org.shapelab.training.FitOptions.epochs(2).batchSize(16).verbose(1));
        } finally {
            new JJavaExtension().uninstall(kernel);
        }
        List<DisplayData> bars = kernel.displayed.stream().filter(DisplayData::hasDisplayId).toList();
        assertEquals(2, bars.size(), "one display per epoch: " + kernel.displayed);
        assertTrue(bars.get(0).getDisplayId().startsWith("shapelab-fit-"), bars.get(0).getDisplayId());
        assertTrue(String.valueOf(bars.get(1).getData(MIMEType.TEXT_PLAIN)).startsWith("Epoch 2/2\n0/3 "));
        assertTrue(String.valueOf(bars.get(1).getData(MIMEType.TEXT_HTML)).contains("<progress"));
    }

    @Test
    void aKernelThatCannotEvaluateStillStarts() {
        FakeJJavaKernel kernel = new FakeJJavaKernel() {
            @Override
            public Object evalRaw(String source) {
                throw new IllegalStateException("no JShell");
            }
        };
        new JJavaExtension().install(kernel);
        assertTrue(kernel.getRenderer().render(model).hasDataForType(MIMEType.TEXT_HTML));
    }
}
