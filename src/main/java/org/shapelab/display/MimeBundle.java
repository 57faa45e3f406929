package org.shapelab.display;

import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.shapelab.model.Sequential;

/**
 * What a notebook shows for one value: {@code text/plain} always, plus richer forms ({@code text/html},
 * {@code image/svg+xml}, {@code image/png} as base64) where they help. Jupyter picks the richest form its
 * front end can show; the plain text is what consoles, logs and diffs see.
 *
 * <p>Immutable: {@code MimeBundle.text(summary).withHtml(table)} returns a new bundle. A bundle is itself
 * displayable, so a renderer's result can be a cell's value.
 */
public final class MimeBundle {

    public static final String TEXT = "text/plain";
    public static final String HTML = "text/html";
    public static final String SVG = "image/svg+xml";
    public static final String PNG = "image/png";

    private final Map<String, String> data;

    private MimeBundle(Map<String, String> data) {
        this.data = Collections.unmodifiableMap(data);
    }

    /** A bundle with only plain text ({@code null} reads as the empty string). */
    public static MimeBundle text(String plain) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(TEXT, plain == null ? "" : plain);
        return new MimeBundle(data);
    }

    /**
     * The richest bundle ShapeLab has for a value: a model's shape table, a shape error explained, or the
     * value's text. Never throws; {@code null} gives the text {@code null}.
     */
    public static MimeBundle of(Object value) {
        if (value instanceof MimeBundle bundle) {
            return bundle;
        }
        if (value instanceof Sequential model) {
            return ModelHtml.bundle(model);
        }
        if (value instanceof org.shapelab.model.Functional model) {
            return ModelHtml.bundle(model);
        }
        if (value instanceof Throwable problem) {
            return ShapeErrorHtml.explain(problem);
        }
        if (value instanceof org.nd4j.linalg.api.ndarray.INDArray array) {
            return TensorPreview.of(array).bundle();
        }
        if (value instanceof TensorPreview preview) {
            return preview.bundle();
        }
        if (value instanceof org.shapelab.compute.Trace trace) {
            return TraceView.bundle(trace);
        }
        if (value instanceof org.shapelab.training.History history) {
            return HistoryView.bundle(history);
        }
        return text(plainText(value));
    }

    public MimeBundle withHtml(String html) {
        return with(HTML, html);
    }

    public MimeBundle withSvg(String svg) {
        return with(SVG, svg);
    }

    /** Adds a PNG image, stored base64-encoded as Jupyter expects. */
    public MimeBundle withPng(byte[] png) {
        return png == null ? this : with(PNG, Base64.getEncoder().encodeToString(png));
    }

    private MimeBundle with(String mimeType, String content) {
        if (content == null) {
            return this;
        }
        Map<String, String> copy = new LinkedHashMap<>(data);
        copy.put(mimeType, content);
        return new MimeBundle(copy);
    }

    /** The plain text form. */
    public String text() {
        return data.get(TEXT);
    }

    /** The content for one MIME type, e.g. {@code get(MimeBundle.HTML)}. */
    public Optional<String> get(String mimeType) {
        return Optional.ofNullable(data.get(mimeType));
    }

    /** Every form, MIME type to content, plain text first. */
    public Map<String, String> data() {
        return data;
    }

    @Override
    public String toString() {
        return text();
    }

    // ---- for renderers: never throw ----

    /**
     * Runs a renderer; if it fails, the value's plain text with a short note, so a drawing problem never
     * hides the value or becomes an error in the learner's cell. {@link ThreadDeath} passes, so that
     * interrupting a cell still works.
     */
    static MimeBundle guarded(Object value, Supplier<MimeBundle> renderer) {
        try {
            MimeBundle bundle = renderer.get();
            return bundle != null ? bundle : text(plainText(value));
        } catch (ThreadDeath stop) {
            throw stop;
        } catch (RuntimeException | Error failure) {
            return text(plainText(value) + "\n(ShapeLab could not draw a richer view: " + failure + ")");
        }
    }

    /** {@code String.valueOf(value)}, or the class name if its {@code toString()} fails. */
    static String plainText(Object value) {
        try {
            return String.valueOf(value);
        } catch (ThreadDeath stop) {
            throw stop;
        } catch (RuntimeException | Error failure) {
            return value.getClass().getName() + " (its toString() failed: " + failure + ")";
        }
    }
}
