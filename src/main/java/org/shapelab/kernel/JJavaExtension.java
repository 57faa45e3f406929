package org.shapelab.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.shapelab.display.MimeBundle;

/**
 * ShapeLab in JJava ({@code org.dflib.jjava}, IJava's successor), through JJava's own extension mechanism: JJava
 * finds this class as a service of {@link Extension} (META-INF/services) in every jar it adds to the notebook's class
 * path ({@code JJAVA_CLASSPATH}, {@code %maven}, {@code %jars}) and calls {@link #install} once the jars are there.
 * It registers the renderers of {@link Displayed} with JJava's renderer, sends {@code display(x)} and fit's progress
 * bar ({@link NotebookProgress}) to JJava, and runs ShapeLab's start-up script (the imports of kernel-ext/startup.jsh,
 * packed in the jar), so nothing depends on {@code JJAVA_STARTUP_SCRIPTS_PATH}, which JJava 1.0-a6 runs before the
 * class path is added.
 *
 * <p>Compiled against {@code org.dflib.jjava:jjava-jupyter} (provided: JJava brings its own); no other ShapeLab
 * class refers to this one, so ShapeLab's kernel and IJava never load it.
 */
public final class JJavaExtension implements Extension {

    /** kernel-ext/startup.jsh, as the build packs it into the jar. */
    static final String STARTUP_SCRIPT = "startup.jsh";

    @Override
    public void install(BaseKernel kernel) {
        // Problems go to JJava's log (the Jupyter server's): an extension that throws would stop JJava's start-up.
        try {
            KernelStart.beforeNd4j();
            register(kernel.getRenderer());
            ShapeLabDisplay.useDisplay(value -> show(kernel, value));
            org.shapelab.training.Progress.use(() -> new NotebookProgress(displays(kernel)));
            InterruptWatch.start();
        } catch (RuntimeException | LinkageError failure) {
            System.err.println("ShapeLab: could not register its renderers with JJava (" + failure
                    + "): ShapeLab's values show as plain text");
        }
        try {
            kernel.eval(startupScript());
        } catch (RuntimeException | LinkageError | IOException failure) {
            System.err.println("ShapeLab: its start-up script failed in JJava (" + failure + "): cells lack its"
                    + " imports; %load it from the kernelspec folder, or import org.shapelab.model.* and the rest");
        }
    }

    @Override
    public void uninstall(BaseKernel kernel) {
        ShapeLabDisplay.useDisplay(null);
        org.shapelab.training.Progress.use(null);
    }

    /** Registers every {@link Displayed} type with a JJava renderer. */
    static void register(Renderer renderer) {
        MIMEType[] rich = Displayed.RICH.stream().map(MIMEType::parse).toArray(MIMEType[]::new);
        for (Class<?> type : Displayed.TYPES) {
            on(renderer, type, rich);
        }
    }

    private static <T> void on(Renderer renderer, Class<T> type, MIMEType[] rich) {
        renderer.createRegistration(type).preferring(rich).register(JJavaExtension::fill);
    }

    private static void fill(Object value, RenderContext context) {
        MimeBundle.of(value).data().forEach((type, content) ->
                context.renderIfRequested(MIMEType.parse(type), () -> content));
    }

    private static void show(BaseKernel kernel, Object value) {
        DisplayData data;
        try {
            data = value == null ? new DisplayData("null") : kernel.getRenderer().render(value);
        } catch (RuntimeException | LinkageError failure) {
            data = new DisplayData(MimeBundle.of(value).text());
        }
        kernel.display(data);
    }

    /** fit's progress bar through JJava's display_data and update_display_data. */
    static NotebookProgress.Displays displays(BaseKernel kernel) {
        return new NotebookProgress.Displays() {
            @Override
            public void show(String id, MimeBundle bundle) {
                kernel.display(data(id, bundle));
            }

            @Override
            public void update(String id, MimeBundle bundle) {
                kernel.getIO().display.updateDisplay(id, data(id, bundle));
            }
        };
    }

    private static DisplayData data(String id, MimeBundle bundle) {
        DisplayData data = new DisplayData(bundle.text());
        bundle.get(MimeBundle.HTML).ifPresent(data::putHTML);
        data.setDisplayId(id);
        return data;
    }

    static String startupScript() throws IOException {
        try (InputStream in = JJavaExtension.class.getResourceAsStream(STARTUP_SCRIPT)) {
            if (in == null) {
                throw new IOException("the jar has no org/shapelab/kernel/" + STARTUP_SCRIPT + " (build with mvn package)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
