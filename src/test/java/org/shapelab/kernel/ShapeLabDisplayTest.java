package org.shapelab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shapelab.display.MimeBundle;
import org.shapelab.display.ModelDiagram;
import org.shapelab.model.Sequential;
import org.shapelab.shape.ShapeException;

import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;

class ShapeLabDisplayTest {

    private final Sequential model = Sequential.input(10).dense(4).dense(1);

    /** What IJava's kernel offers ShapeLab: a basekernel kernel with a renderer. */
    public static class FakeJavaKernel extends BaseKernel {
        @Override
        public DisplayData eval(String expr) {
            return null;
        }

        @Override
        public LanguageInfo getLanguageInfo() {
            return null;
        }
    }

    /** Any object with a getRenderer() method, as a kernel seen only through reflection. */
    public static class RendererHolder {
        private final Renderer renderer = new Renderer();

        public Renderer getRenderer() {
            return renderer;
        }
    }

    @Test
    void registeredRenderersGiveEveryMimeTypeOfTheBundle() {
        Renderer renderer = new Renderer();
        ShapeLabDisplay.register(renderer);
        DisplayData table = renderer.render(model);
        assertEquals(MimeBundle.of(model).text(), table.getData(MIMEType.TEXT_PLAIN));
        assertTrue(String.valueOf(table.getData(MIMEType.TEXT_HTML)).contains("Total params"));

        DisplayData diagram = renderer.render(ModelDiagram.plotModel(model));
        assertTrue(String.valueOf(diagram.getData(MIMEType.IMAGE_SVG)).startsWith("<svg"));
        assertFalse(diagram.hasDataForType(MIMEType.TEXT_HTML));

        DisplayData error = renderer.render(new ShapeException("Unknown data_format 'x'."));
        assertTrue(String.valueOf(error.getData(MIMEType.TEXT_HTML)).contains("Unknown data_format"));
    }

    @Test
    void askingForOneTypeGivesThatType() {
        Renderer renderer = new Renderer();
        ShapeLabDisplay.register(renderer);
        DisplayData plain = renderer.renderAs(model, "text/plain");
        assertFalse(plain.hasDataForType(MIMEType.TEXT_HTML));
        assertTrue(renderer.renderAs(model, "text/html").hasDataForType(MIMEType.TEXT_HTML));
    }

    @Test
    void registeringTwiceChangesNothing() {
        Renderer renderer = new Renderer();
        ShapeLabDisplay.register(renderer);
        ShapeLabDisplay.register(renderer);
        assertEquals(MimeBundle.of(model).get(MimeBundle.HTML).orElseThrow(),
                renderer.render(model).getData(MIMEType.TEXT_HTML));
    }

    @Test
    void registersWithAKernelFoundOnlyByReflection() {
        RendererHolder holder = new RendererHolder();
        assertTrue(ShapeLabDisplay.registerWith(holder));
        assertTrue(holder.getRenderer().render(model).hasDataForType(MIMEType.TEXT_HTML));
        assertFalse(ShapeLabDisplay.registerWith("not a kernel"));
    }

    /**
     * The start-up script's step in IJava: {@code IJava.getKernelInstance()} found by name. A stand-in IJava
     * class is compiled here, since IJava is not on Maven Central.
     */
    @Test
    void attachFindsTheRunningIJavaKernel(@TempDir Path classes) throws Exception {
        ClassLoader ijava = fakeIJava(classes);
        FakeJavaKernel kernel = new FakeJavaKernel();
        ijava.loadClass(ShapeLabDisplay.IJAVA).getMethod("start", Object.class).invoke(null, kernel);
        assertTrue(ShapeLabDisplay.attach(ijava));
        assertTrue(kernel.getRenderer().render(model).hasDataForType(MIMEType.TEXT_HTML));
    }

    @Test
    void attachDoesNothingWithoutIJava(@TempDir Path classes) throws Exception {
        assertFalse(ShapeLabDisplay.attach(getClass().getClassLoader()));
        ClassLoader ijava = fakeIJava(classes);
        assertFalse(ShapeLabDisplay.attach(ijava), "IJava loaded but no kernel running");
        ShapeLabDisplay.attach();
    }

    @Test
    void displayWithoutAKernelPrintsText() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ShapeLabDisplay.display(model);
            ShapeLabDisplay.display(null);
        } finally {
            System.setOut(original);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith(model.summary()), printed);
        assertTrue(printed.endsWith("null" + System.lineSeparator()), printed);
    }

    private static ClassLoader fakeIJava(Path classes) throws IOException {
        Path source = classes.resolve("src/io/github/spencerpark/ijava/IJava.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, """
                package io.github.spencerpark.ijava;
                public class IJava {
                    private static Object kernel;
                    public static Object getKernelInstance() { return kernel; }
                    public static void start(Object running) { kernel = running; }
                }
                """);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests need a JDK");
        assertEquals(0, javac.run(null, null, null, "-d", classes.toString(), source.toString()));
        return new URLClassLoader(new URL[] {classes.toUri().toURL()}, ShapeLabDisplayTest.class.getClassLoader());
    }
}
