package org.shapelab.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * 10,000 predictions on a small Dense model must not grow off-heap memory: intermediates live in a reused
 * workspace, each returned array is freed with its Java object, and op contexts are purged after every call.
 *
 * <p>The calls run in a child JVM ({@link MemoryProbe}) whose heap is fixed and touched up front
 * ({@code -Xms128m -Xmx128m -XX:+AlwaysPreTouch}) and whose C allocator returns freed memory at once
 * ({@code MALLOC_ARENA_MAX=1}, {@code MALLOC_TRIM_THRESHOLD_=0}), so that its physical memory
 * ({@code Pointer.physicalBytes()}) follows live native memory. Inside the test JVM the heap's pages are touched
 * gradually and freed native memory stays resident, which adds tens of MB of noise either way; and ND4J
 * allocates outside JavaCPP's accounting, so {@code Pointer.totalBytes()} stays 0.
 *
 * <p>Bound: 8 MB over the 10,000 calls that follow a warm-up of 30,000 (800 bytes a call). An op context that is
 * not purged leaked about 1.4 KB a call (14 MB), which this test caught.
 */
class MemoryTest {

    static final long GROWTH_BOUND = 8L << 20;
    private static final Pattern RESULT = Pattern.compile("(\\w+) growth=(-?\\d+) micros=([\\d.]+)");

    @Test
    void repeatedPredictDoesNotGrowOffHeapMemory() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xms128m", "-Xmx128m", "-XX:+AlwaysPreTouch",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), MemoryProbe.class.getName()))
                .redirectErrorStream(true);
        // glibc: one malloc arena and freed memory returned at once, so resident memory follows live memory.
        builder.environment().put("MALLOC_ARENA_MAX", "1");
        builder.environment().put("MALLOC_TRIM_THRESHOLD_", "0");
        Process probe = builder.start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(probe.waitFor(10, TimeUnit.MINUTES), "the probe JVM did not finish");
        assertEquals(0, probe.exitValue(), output);
        Matcher result = RESULT.matcher(output);
        int found = 0;
        while (result.find()) {
            found++;
            long growth = Long.parseLong(result.group(2));
            System.out.printf("10,000 %s calls (16x32 -> 64 relu -> 10 softmax, two inputs in turn) after 30,000"
                    + " warm-up calls: physical memory %+,d bytes (bound %,d), %s us per call%n", result.group(1),
                    growth, GROWTH_BOUND, result.group(3));
            assertTrue(growth < GROWTH_BOUND, result.group(1) + ": off-heap memory grew by " + growth + " bytes");
        }
        assertEquals(2, found, output);
    }
}
