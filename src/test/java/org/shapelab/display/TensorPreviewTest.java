package org.shapelab.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.shape.ShapeException;

class TensorPreviewTest {

    @Test
    void headerNamesAxesAndCountsSpecialValues() {
        INDArray x = Nd4j.createFromArray(new float[][] {{1, 0, Float.NaN}, {-2, Float.POSITIVE_INFINITY, 3}});
        String text = TensorPreview.of(x).toString();
        assertTrue(text.startsWith("array shape (2, 3) = (batch 2, features 3)  float32"), text);
        // finite values 1, 0, -2, 3: min -2, max 3, mean 0.5
        assertTrue(text.contains("min -2.  max 3.  mean 0.5  "), text);
        assertTrue(text.contains("zeros 1  NaN 1  inf 1"), text);
        String html = TensorPreview.of(x).bundle().get(MimeBundle.HTML).orElseThrow();
        assertTrue(html.contains("<b style=\"color:#d0342c\">NaN 1</b>"), html);
        assertTrue(html.contains("<b style=\"color:#d0342c\">inf 1</b>"), html);
    }

    @Test
    void valuesAreSummarizedLikeNumpy() {
        INDArray x = Nd4j.arange(2000).castTo(DataType.FLOAT).reshape(2, 1000);
        String values = TensorPreview.of(x).toString().lines().skip(1).reduce("", (a, b) -> a + b + "\n");
        assertEquals("[[0., 1., 2., ..., 997., 998., 999.],\n [1000., 1001., 1002., ..., 1997., 1998., 1999.]]\n",
                values);
        String small = TensorPreview.of(Nd4j.createFromArray(new float[] {0.5f, -0.25f})).toString();
        assertTrue(small.endsWith("\n[0.5, -0.25]"), small);
    }

    /** The PNG images of a preview's HTML, in order. */
    static java.util.List<java.awt.image.BufferedImage> images(String html) throws java.io.IOException {
        java.util.List<java.awt.image.BufferedImage> images = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("base64,([^\"]+)\"").matcher(html);
        while (m.find()) {
            images.add(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(Base64.getDecoder().decode(m.group(1)))));
        }
        return images;
    }

    @Test
    void imageBatchGetsOneLabelledHeatmapPerChannelAndALegend() throws Exception {
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 28, 28, 3);
        String html = TensorPreview.of(images).bundle().get(MimeBundle.HTML).orElseThrow();
        assertTrue(html.contains("batch 2, rows 28, cols 28, channels 3"), html);
        assertTrue(html.contains("sample 0: rows down, cols across, one heatmap per channel (3)"), html);
        for (int c = 0; c < 3; c++) {
            assertTrue(html.contains(">channel " + c + "</div>"), html);
        }
        var pictures = images(html);
        // three tiles of 28 cells scaled 5x (square: an image keeps its proportions), then the colour bar
        assertEquals(4, pictures.size());
        for (int t = 0; t < 3; t++) {
            assertEquals(140, pictures.get(t).getWidth());
            assertEquals(140, pictures.get(t).getHeight());
        }
        assertTrue(html.contains("alt=\"colour scale\""), html);
        assertTrue(html.contains("(dark to bright); NaN and inf: magenta"), html);
    }

    @Test
    void sequencesWithFewFeaturesAreLinePlotsEachWithItsOwnScale() throws Exception {
        // the weather of notebook 06: temperature 7..23 and humidity 0.4..0.8 on one colour scale would hide humidity
        float[][][] day = new float[1][24][2];
        for (int h = 0; h < 24; h++) {
            day[0][h][0] = (float) (15 + 8 * Math.sin(2 * Math.PI * h / 24));
            day[0][h][1] = (float) (0.6 - 0.2 * Math.sin(2 * Math.PI * h / 24));
        }
        String html = TensorPreview.of(Nd4j.create(day)).bundle().get(MimeBundle.HTML).orElseThrow();
        assertTrue(html.contains("batch 1, timesteps 24, features 2"), html);
        assertTrue(html.contains("sample 0: timesteps across (0 to 23), one line per feature (2), each scaled to its own range"), html);
        assertTrue(html.contains(">feature 0</span>") && html.contains(">feature 1</span>"), html);
        assertTrue(html.contains(">7. to 23.</span>"), html);
        assertTrue(html.contains(">0.4 to 0.8</span>"), html);
        var plots = images(html);
        assertEquals(2, plots.size());
        // each line spans its plot's height: both series use their own full scale
        for (var plot : plots) {
            int top = plot.getHeight();
            int bottom = -1;
            for (int y = 0; y < plot.getHeight(); y++) {
                for (int x = 2; x < plot.getWidth() - 2; x++) {
                    int argb = plot.getRGB(x, y);
                    boolean blue = (argb >>> 24) > 100 && (argb & 0xFF) > 120 && ((argb >> 16) & 0xFF) < 120;
                    if (blue) {
                        top = Math.min(top, y);
                        bottom = Math.max(bottom, y);
                    }
                }
            }
            assertTrue(top <= 5 && bottom >= plot.getHeight() - 6, "line spans " + top + ".." + bottom);
        }
    }

    @Test
    void aStereoSoundNamedByTheLearnerKeepsItsChannels() {
        INDArray sound = Nd4j.rand(DataType.FLOAT, 1, 1000, 2);
        String html = TensorPreview.of(sound).axes("batch", "timesteps", "channels").bundle().get(MimeBundle.HTML)
                .orElseThrow();
        assertTrue(html.contains("(batch 1, timesteps 1000, channels 2)"), html);
        assertTrue(html.contains(">channel 0</span>") && html.contains(">channel 1</span>"), html);
        assertTrue(html.contains("one line per channel (2)"), html);
    }

    @Test
    void weightsHaveNoBatchAxis() throws Exception {
        INDArray filter = Nd4j.create(new float[][] {{-1, -1, -1}, {2, 2, 2}, {-1, -1, -1}});
        MimeBundle bundle = TensorPreview.of(filter).axes("kernel rows", "kernel cols").bundle();
        String html = bundle.get(MimeBundle.HTML).orElseThrow();
        assertTrue(bundle.text().startsWith("array shape (3, 3) = (kernel rows 3, kernel cols 3)"), bundle.text());
        assertFalse(html.contains("batch"), html);
        assertFalse(html.contains("sample"), html);
        assertTrue(html.contains("kernel rows down, kernel cols across"), html);
        var tile = images(html).get(0);
        assertEquals(tile.getWidth(), tile.getHeight());
        assertTrue(tile.getWidth() >= TensorPreview.MIN_SIDE, tile.getWidth() + " px");
        // a Conv2D kernel: one heatmap per filter, the input-channel axis at its first index
        INDArray kernel = Nd4j.rand(DataType.FLOAT, 3, 3, 1, 2);
        String k = TensorPreview.of(kernel).axes("kernel rows", "kernel cols", "in channels", "filters").bundle()
                .get(MimeBundle.HTML).orElseThrow();
        assertTrue(k.contains("one heatmap per filter (2)") && k.contains(">filter 1</div>"), k);
        assertTrue(k.contains("first index of the other axes"), k);
    }

    @Test
    void axesNeedOneNamePerAxis() {
        ShapeException e = assertThrows(ShapeException.class, () -> TensorPreview.of(Nd4j.rand(DataType.FLOAT, 2, 3))
                .axes("batch"));
        assertTrue(e.getMessage().contains("has 2 axes, but 1 names were given"), e.getMessage());
    }

    @Test
    void thinArraysAreDrawnAtAReadableSize() throws Exception {
        // a Dense output of 300 samples, and a (300, 1) column: no 1- or 10-pixel slivers
        for (INDArray thin : new INDArray[] {Nd4j.rand(DataType.FLOAT, 300, 1), Nd4j.rand(DataType.FLOAT, 300, 10)}) {
            var heatmap = images(TensorPreview.of(thin).bundle().get(MimeBundle.HTML).orElseThrow()).get(0);
            assertTrue(heatmap.getWidth() >= TensorPreview.MIN_SIDE, heatmap.getWidth() + " px wide for " + thin.shapeInfoToString());
            assertTrue(heatmap.getHeight() >= TensorPreview.MIN_SIDE, heatmap.getHeight() + " px high");
        }
    }

    @Test
    void aThinnedAxisIsNamedWithHowMuchOfItIsDrawn() {
        String html = TensorPreview.of(Nd4j.rand(DataType.FLOAT, 300, 10)).bundle().get(MimeBundle.HTML).orElseThrow();
        assertTrue(html.contains("batch down, features across, one sample in every 3 shown (100 of 300)"), html);
    }

    @Test
    void valuesAreFoldedAndAreThoseOfTheSampleShown() {
        float[][][][] pics = new float[4][12][12][1];
        pics[3][5][7][0] = 9;
        INDArray lines = Nd4j.create(pics);
        String html = TensorPreview.of(lines).sample(3).bundle().get(MimeBundle.HTML).orElseThrow();
        assertTrue(html.contains("values of sample 3 (of 4 in the batch)"), html);
        String visible = html.substring(html.indexOf("values of sample 3"), html.indexOf("<details>"));
        assertTrue(visible.split("\n").length <= TensorPreview.VISIBLE_VALUE_LINES + 1, visible);
        String folded = html.substring(html.indexOf("<details>"), html.indexOf("</details>"));
        assertTrue(folded.contains("more lines of values</summary>"), folded);
        assertTrue(folded.contains("9."), "sample 3's 9 is among its values: " + folded);
        assertFalse(html.contains("<pre") && html.indexOf("<pre") < html.indexOf("values of sample"), html);
        // the text form follows the chosen sample too; without a choice it is the whole array, as NumPy prints it
        String text = TensorPreview.of(lines).sample(3).bundle().text();
        assertTrue(text.contains("values of sample 3 (of 4 in the batch):\n[[[0.],"), text);
        assertTrue(text.contains("9."), text);
        assertTrue(TensorPreview.of(lines).bundle().text().contains("\n[[[[0.],"));
        assertTrue(html.contains("statistics of the whole array; picture and values of one sample"), html);
    }

    @Test
    void oddInputNeverThrows() {
        assertEquals("null", TensorPreview.of(null).bundle().text());
        assertTrue(TensorPreview.of(Nd4j.scalar(3.5f)).bundle().text().contains("array shape ()"));
        assertTrue(TensorPreview.of(Nd4j.create(DataType.FLOAT, 0, 4)).bundle().text().contains("(no values)"));
        INDArray rank6 = Nd4j.rand(DataType.FLOAT, 2, 3, 4, 5, 6, 7);
        assertTrue(TensorPreview.of(rank6).bundle().get(MimeBundle.HTML).isPresent());
        INDArray allNan = Nd4j.valueArrayOf(new long[] {3, 3}, Float.NaN, DataType.FLOAT);
        assertTrue(TensorPreview.of(allNan).bundle().text().contains("NaN 9"));
        assertTrue(TensorPreview.of(Nd4j.rand(DataType.FLOAT, 4, 4)).rowsAxis(7).bundle().text()
                .contains("could not draw"));
    }

    @Test
    void hundredMillionValuesPreviewFastAndSmall() {
        INDArray big = Nd4j.rand(DataType.FLOAT, 10_000, 10_000);
        TensorPreview.of(big).bundle();
        long start = System.nanoTime();
        MimeBundle bundle = TensorPreview.of(big).bundle();
        long millis = (System.nanoTime() - start) / 1_000_000;
        int bytes = bundle.data().values().stream().mapToInt(String::length).sum();
        System.out.printf("preview of 10^8 values: %d ms, %d bytes%n", millis, bytes);
        assertTrue(bundle.text().contains("statistics from 1048576 of 100000000 values, in 1024 evenly spaced runs"),
                bundle.text());
        assertTrue(bytes < 1_000_000, bytes + " bytes");
        // A bound, not a benchmark: catches an accidental full pass over 10^8 values (seconds).
        assertTrue(millis < 1000, millis + " ms");
    }

    @Test
    void directReadsAgreeWithNd4jOnViews() {
        INDArray base = Nd4j.rand(DataType.FLOAT, 6, 5, 4);
        INDArray view = base.permute(2, 0, 1).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 5));
        TensorPreview.Values values = TensorPreview.Values.of(view);
        long[] shape = view.shape();
        for (long i = 0; i < shape[0]; i++) {
            for (long j = 0; j < shape[1]; j++) {
                for (long k = 0; k < shape[2]; k++) {
                    assertEquals(view.getDouble(i, j, k), values.at(new long[] {i, j, k}), 0.0);
                }
            }
        }
        assertEquals(view.getDouble(1, 2, 3), values.atFlat(1L * 6 * 4 + 2L * 4 + 3, shape, new long[3]), 0.0);
    }

    @Test
    void channelsAxisAloneLeavesRowsAndColsToTheOtherAxes() {
        INDArray channelsFirst = Nd4j.rand(DataType.FLOAT, 2, 3, 8, 10);
        String html = TensorPreview.of(channelsFirst).channelsAxis(1).bundle().get(MimeBundle.HTML).orElseThrow();
        assertTrue(html.contains("batch 2, channels 3, rows 8, cols 10"), html);
        assertTrue(html.contains("one heatmap per channel (3)"), html);
    }
}
