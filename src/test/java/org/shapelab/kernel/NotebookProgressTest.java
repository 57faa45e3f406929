package org.shapelab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.model.Sequential;
import org.shapelab.training.FitOptions;
import org.shapelab.training.Progress;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import org.shapelab.display.MimeBundle;

/**
 * The messages fit's notebook progress sends, as a Jupyter client sees them: per epoch one display_data with a display
 * id, then update_display_data with that same id only, the last showing every step. (Recorded against IJava 1.3.0 and
 * ShapeLab's kernel with tools/notebook-messages/record.py; here without a kernel.)
 */
class NotebookProgressTest {

    /** One message: "show" (display_data) or "update" (update_display_data), its display id and text. */
    record Message(String type, String id, String text) {
    }

    static final class Recorder implements NotebookProgress.Displays {
        final List<Message> messages = new ArrayList<>();

        @Override
        public void show(String id, MimeBundle bundle) {
            messages.add(new Message("show", id, bundle.text()));
        }

        @Override
        public void update(String id, MimeBundle bundle) {
            messages.add(new Message("update", id, bundle.text()));
        }
    }

    @Test
    void eachEpochIsOneDisplayUpdatedInPlaceEndingOnItsLastStep() throws InterruptedException {
        Recorder out = new Recorder();
        NotebookProgress progress = new NotebookProgress(out);
        Map<String, Double> logs = new LinkedHashMap<>(Map.of("loss", 0.5));
        for (int epoch = 0; epoch < 2; epoch++) {
            progress.epochStart(epoch, 2, 10, 1);
            for (int step = 1; step <= 10; step++) {
                Thread.sleep(25);   // 250 ms an epoch: at least one redraw mid-epoch (at most five a second)
                progress.step(step, 10, logs, step * 0.025);
            }
            progress.epochEnd(10, Map.of("loss", 0.25, "val_loss", 0.3), 0.25);
        }
        List<String> ids = out.messages.stream().map(Message::id).distinct().toList();
        assertEquals(2, ids.size(), out.messages.toString());
        for (int epoch = 0; epoch < 2; epoch++) {
            String id = ids.get(epoch);
            List<Message> mine = out.messages.stream().filter(m -> m.id().equals(id)).toList();
            assertEquals("show", mine.get(0).type(), "the display comes first");
            assertTrue(mine.get(0).text().startsWith("Epoch " + (epoch + 1) + "/2\n0/10 "), mine.get(0).text());
            assertTrue(mine.subList(1, mine.size()).stream().allMatch(m -> m.type().equals("update")), mine.toString());
            assertTrue(mine.size() >= 3, "redrawn mid-epoch and at its end: " + mine);
            assertTrue(mine.size() <= 2 + 10, mine.toString());
            String last = mine.get(mine.size() - 1).text();
            assertTrue(last.startsWith("Epoch " + (epoch + 1) + "/2\n10/10 "), last);
            assertTrue(last.endsWith(" - loss: 0.2500 - val_loss: 0.3000"), last);
        }
    }

    @Test
    void aBaseKernelGetsTheBundleWithItsDisplayId() {
        List<DisplayData> shown = new ArrayList<>();
        ShapeLabDisplayTest.FakeJavaKernel kernel = new ShapeLabDisplayTest.FakeJavaKernel() {
            @Override
            public void display(DisplayData data) {
                shown.add(data);
            }
        };
        NotebookProgress progress = new NotebookProgress(NotebookProgress.displaysOf(kernel));
        progress.epochStart(0, 3, 10, 1);
        assertEquals(1, shown.size());
        assertTrue(shown.get(0).getDisplayId().startsWith("shapelab-fit-"), shown.get(0).getDisplayId());
        assertTrue(String.valueOf(shown.get(0).getData(MIMEType.TEXT_PLAIN)).startsWith("Epoch 1/3\n0/10 "));
        assertTrue(String.valueOf(shown.get(0).getData(MIMEType.TEXT_HTML)).contains("<progress value=\"0\" max=\"10\""));
    }

    @Test
    void displayIdsAreNewToTheWorldNotACountARestartedKernelWouldRepeat() {
        // A front end updates every output with the id; a count from 1 in a restarted kernel would redraw the
        // previous kernel's outputs still on screen.
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        new NotebookProgress(first).epochStart(0, 1, 10, 1);
        new NotebookProgress(second).epochStart(0, 1, 10, 1);
        String id = first.messages.get(0).id();
        assertTrue(id.matches("shapelab-fit-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), id);
        assertNotEquals(id, second.messages.get(0).id());
    }

    @Test
    void verboseTwoPrintsALinePerEpochAndVerboseZeroNothing() {
        Recorder out = new Recorder();
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            NotebookProgress two = new NotebookProgress(out);
            two.epochStart(0, 1, 10, 2);
            two.step(10, 10, Map.of("loss", 0.5), 1);
            two.epochEnd(10, Map.of("loss", 0.5), 1);
            NotebookProgress zero = new NotebookProgress(out);
            zero.epochStart(0, 1, 10, 0);
            zero.step(10, 10, Map.of("loss", 0.5), 1);
            zero.epochEnd(10, Map.of("loss", 0.5), 1);
        } finally {
            System.setOut(stdout);
        }
        assertEquals(List.of(), out.messages);
        assertEquals("Epoch 1/1\n10/10 - 1s - 100ms/step - loss: 0.5000\n",
                printed.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }

    @Test
    void fitSendsOneDisplayPerEpochThroughTheViewAKernelInstalls() {
        Recorder out = new Recorder();
        INDArray x = Nd4j.rand(DataType.FLOAT, 40, 3);
        INDArray y = x.sum(1);
        Sequential model = Sequential.input(3).dense(1).compile("sgd", "mse");
        Progress.use(() -> new NotebookProgress(out));
        try {
            model.fit(x, y, FitOptions.epochs(3).batchSize(16).verbose(1));
        } finally {
            Progress.use(null);
        }
        assertEquals(3, out.messages.stream().filter(m -> m.type().equals("show")).count(), out.messages.toString());
        assertEquals(3, out.messages.stream().map(Message::id).distinct().count());
        for (String id : out.messages.stream().map(Message::id).distinct().toList()) {
            List<Message> mine = out.messages.stream().filter(m -> m.id().equals(id)).toList();
            assertTrue(mine.get(mine.size() - 1).text().contains("\n3/3 "), mine.toString());
        }
    }
}
