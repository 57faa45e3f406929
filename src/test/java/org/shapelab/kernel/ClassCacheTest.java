package org.shapelab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The class-data archive made by a warm-up of a real kernel through Jupyter's protocol: ShapeLab's own kernel, started
 * from a kernelspec as Jupyter would, answers kernel_info, runs the warm-up cells and shuts down; the JVM writes the
 * archive, and a JVM told to use it (-Xshare:on, which refuses an archive it cannot map) starts.
 */
class ClassCacheTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path temp;

    @Test
    @Timeout(300)
    void aWarmUpOfShapeLabsKernelMakesAnArchiveTheJvmAccepts() throws Exception {
        // CDS takes jars only: ShapeLab's classes as a jar, then the dependency jars of this test run.
        String classPath = jarOf(Path.of("target/classes")) + File.pathSeparator + String.join(File.pathSeparator,
                Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                        .filter(entry -> entry.endsWith(".jar")).toList());
        ObjectNode spec = spec(List.of(JAVA, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classPath,
                "org.shapelab.kernel.ShapeLabKernel", "--startup", Path.of("kernel-ext/startup.jsh").toAbsolutePath()
                        .toString(), "{connection_file}"));
        Path kernelDir = Files.createDirectories(temp.resolve("kernel"));

        String outcome = ClassCache.make(kernelDir, spec);

        Path archive = kernelDir.resolve(ClassCache.ARCHIVE);
        assertTrue(outcome.startsWith("class-data archive " + archive), outcome);
        assertTrue(Files.size(archive) > 1_000_000, "archive of " + Files.size(archive) + " bytes");
        assertEquals(ClassCache.USE + archive, spec.path("argv").path(1).asText());
        assertEquals(JAVA, spec.path("argv").path(0).asText());

        Process check = new ProcessBuilder(JAVA, "-Xshare:on", ClassCache.USE + archive, "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-cp", classPath, "-version").redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes());
        assertTrue(check.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, check.exitValue(), output);
    }

    @Test
    @Timeout(120)
    void aKernelThatDoesNotStartLeavesTheSpecAsItWas() throws Exception {
        ObjectNode spec = spec(List.of(JAVA, "-cp", temp.toString(), "org.example.NoSuchKernel", "{connection_file}"));
        String before = spec.toString();
        Path kernelDir = Files.createDirectories(temp.resolve("kernel"));

        String outcome = ClassCache.make(kernelDir, spec);

        assertTrue(outcome.startsWith("no class-data archive: the kernel did not answer kernel_info"), outcome);
        assertTrue(outcome.contains("NoSuchKernel"), "names what the kernel said: " + outcome);
        assertEquals(before, spec.toString());
        assertFalse(Files.exists(kernelDir.resolve(ClassCache.ARCHIVE)));
    }

    private static ObjectNode spec(List<String> argv) {
        ObjectNode spec = JSON.createObjectNode();
        ArrayNode array = spec.putArray("argv");
        argv.forEach(array::add);
        spec.putObject("env").put("OMP_NUM_THREADS", "1");
        return spec;
    }

    private Path jarOf(Path classes) throws IOException {
        Path jar = temp.resolve("shapelab-classes.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, (OutputStream) out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
