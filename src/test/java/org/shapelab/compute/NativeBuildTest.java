package org.shapelab.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Test;

/** The pom picks the libnd4j build ({@code nd4j.extension}); this checks that the one it picked is the one that runs. */
class NativeBuildTest {

    @Test
    void theBuildThePomChoseIsTheOneLoaded() {
        String expected = System.getProperty("shapelab.expectedNativeBuild");
        assertNotNull(expected, "surefire passes shapelab.expectedNativeBuild from the pom");
        assertEquals(expected, Nd4jRuntime.nativeBuild());
        assertEquals(expected.contains("onednn"), Nd4jRuntime.hasOneDnn(),
                "a -onednn build reports HAVE_ONEDNN in its build info, the others do not");
    }
}
