package org.shapelab.reference;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** {@link SizeOneSweep} in child JVMs: every layer, every size-1 combination, batches 1 to 33, ends normally. */
class SizeOneSweepTest {

    @TestFactory
    Stream<DynamicTest> everySizeOneCombinationEndsNormally() throws Exception {
        List<CorpusRunner.Result> results = CorpusRunner.run(SizeOneSweep.class, List.of(), null,
                System.getProperty("java.class.path"));
        long refused = results.stream().filter(r -> r.detail().startsWith("refused") || r.detail().contains("batches refused")).count();
        System.out.println("size-1 sweep: " + results.size() + " models, " + refused + " refused with a ShapeException");
        Stream<DynamicTest> count = Stream.of(DynamicTest.dynamicTest("sweep covers every model",
                () -> assertTrue(results.size() == SizeOneSweep.sweeps().size(), results.size() + " results")));
        return Stream.concat(count, results.stream().map(r -> DynamicTest.dynamicTest(r.id(), () -> {
            if (r.status() != CorpusRunner.Status.PASS) {
                fail(r.id() + " " + r.status() + ": " + r.detail());
            }
        })));
    }
}
