package org.shapelab.shape;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The output-length formulas of keras/src/ops/operation_utils.py, checked on hand-computed cases
 * (the TF.js fixtures cover many more through whole layers).
 */
class WindowArithmeticTest {

    @Test
    void convolution() {
        // valid: floor((10 - 1*(3-1) - 1) / 3) + 1 = floor(7/3) + 1 = 3
        assertEquals(3, WindowArithmetic.convOutputLength(10, 3, 3, 1, Padding.VALID));
        // same: floor((10 - 1) / 3) + 1 = 4
        assertEquals(4, WindowArithmetic.convOutputLength(10, 3, 3, 1, Padding.SAME));
        // causal keeps the length at stride 1, halves it (rounding up) at stride 2
        assertEquals(100, WindowArithmetic.convOutputLength(100, 3, 1, 2, Padding.CAUSAL));
        assertEquals(50, WindowArithmetic.convOutputLength(100, 3, 2, 1, Padding.CAUSAL));
        // valid with dilation 2: span 2*(3-1)+1 = 5, floor((7 - 5)/1) + 1 = 3
        assertEquals(3, WindowArithmetic.convOutputLength(7, 3, 1, 2, Padding.VALID));
        // too small: floor((3 - 4 - 1)/1) + 1 = -1
        assertEquals(-1, WindowArithmetic.convOutputLength(3, 5, 1, 1, Padding.VALID));
        assertEquals(Shape.NONE, WindowArithmetic.convOutputLength(Shape.NONE, 3, 1, 1, Padding.VALID));
    }

    @Test
    void pooling() {
        assertEquals(13, WindowArithmetic.poolOutputLength(26, 2, 2, Padding.VALID));
        assertEquals(5, WindowArithmetic.poolOutputLength(11, 2, 2, Padding.VALID));
        assertEquals(6, WindowArithmetic.poolOutputLength(11, 2, 2, Padding.SAME));
        // floor((3 - 5) / 5) + 1 = 0: Keras calls this an error, ShapeLab too (in the layer)
        assertEquals(0, WindowArithmetic.poolOutputLength(3, 5, 5, Padding.VALID));
    }

    @Test
    void samePaddingPutsTheExtraPadRight() {
        // L=5, k=2, s=2: out 3, needs (3-1)*2 + 2 - 5 = 1 pad, all of it on the right
        assertEquals(1, WindowArithmetic.samePaddingTotal(5, 2, 2, 1));
        assertEquals(2, WindowArithmetic.samePaddingTotal(28, 3, 1, 1));
    }
}
