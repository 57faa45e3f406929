package org.shapelab.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The committed fuzz corpus (tools/keras-reference/fuzz.mjs --corpus, TensorFlow.js 4.22 as Keras): every model's
 * shapes, parameter counts and outputs equal Keras's. The cases run in child JVMs, so a native crash fails its case
 * (reported as CRASH with the JVM's last words) and the others still run; one test per case reports the result.
 */
class KerasCorpusTest {

    static final String CORPUS = "/keras-reference/fuzz/corpus.jsonl";

    @TestFactory
    Stream<DynamicTest> everyCorpusModelEqualsKeras() throws Exception {
        List<CorpusRunner.Result> results = CorpusRunner.run(corpus(), null, System.getProperty("java.class.path"));
        Map<String, int[]> families = CorpusRunner.perFamily(results);
        System.out.println("fuzz corpus: " + results.size() + " cases; per family (passed, failed): "
                + families.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()[0] + "/" + e.getValue()[1])
                .toList());
        Stream<DynamicTest> size = Stream.of(DynamicTest.dynamicTest("corpus has at least 500 models and every family",
                () -> {
                    assertTrue(results.size() >= 500, "cases: " + results.size());
                    assertEquals(List.of("random", "edge", "activation", "none_lengths", "mask", "metamorphic").stream()
                            .filter(f -> !families.containsKey(f)).toList(), List.of(), "families missing");
                }));
        return Stream.concat(size, results.stream().map(r -> DynamicTest.dynamicTest(r.id(), () -> {
            if (r.status() != CorpusRunner.Status.PASS) {
                fail(r.status() + " [" + r.family() + "]: " + r.detail()
                        + "\n  reproduce: tools/keras-reference/fuzz --corpus --case " + r.id());
            }
        })));
    }

    static Path corpus() throws URISyntaxException {
        var url = KerasCorpusTest.class.getResource(CORPUS);
        if (url == null) {
            throw new IllegalStateException(CORPUS + " is missing: run tools/keras-reference/fuzz.mjs --corpus");
        }
        return Path.of(url.toURI());
    }
}
