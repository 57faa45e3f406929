package org.shapelab.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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

    @Test
    void imageBatchGetsOneHeatmapPerChannel() throws Exception {
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 28, 28, 3);
        MimeBundle bundle = TensorPreview.of(images).bundle();
        String html = bundle.get(MimeBundle.HTML).orElseThrow();
        assertTrue(html.contains("batch 2, rows 28, cols 28, channels 3"), html);
        assertTrue(html.contains("sample 0: rows down, cols across, one heatmap per channel (3)"), html);
        byte[] png = Base64.getDecoder().decode(html.replaceAll("(?s).*base64,([^\"]+)\".*", "$1"));
        var image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
        // 3 tiles in a 2x2 grid, each 28 cells scaled 5x, with 3 px gaps
        assertEquals(2 * (28 * 5 + 3), image.getWidth());
    }

    @Test
    void sequencesAreDrawnAsATimeline() {
        INDArray sequence = Nd4j.rand(DataType.FLOAT, 4, 50, 8);
        String html = TensorPreview.of(sequence).bundle().get(MimeBundle.HTML).orElseThrow();
        assertTrue(html.contains("batch 4, timesteps 50, features 8"), html);
        assertTrue(html.contains("sample 0: timesteps down, features across"), html);
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
