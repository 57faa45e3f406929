package org.shapelab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class KernelInstallerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JAVA = "/opt/jdk-17/bin/java";

    @TempDir
    Path temp;
    private Path prefix;
    private Path jar;
    private Path lib;

    @BeforeEach
    void buildOutput() throws IOException {
        prefix = temp.resolve("prefix");
        jar = Files.writeString(temp.resolve("shapelab-0.1.0.jar"), "jar");
        lib = Files.createDirectories(temp.resolve("lib"));
        Files.writeString(lib.resolve("nd4j-api.jar"), "nd4j");
        Files.writeString(lib.resolve("jupyter-jvm-basekernel-2.3.0.jar"), "basekernel");
        Files.writeString(lib.resolve("README.txt"), "not a jar");
    }

    private Path install(Path ijavaZip) throws IOException {
        return install(ijavaZip, 17);
    }

    private Path install(Path ijavaZip, int javaFeature) throws IOException {
        return KernelInstaller.install(new KernelInstaller.Request(prefix.resolve("share/jupyter/kernels"),
                Path.of("kernel-ext"), jar, lib, ijavaZip, null, JAVA, javaFeature, false));
    }

    private Path installJJava(Path jjavaDir) throws IOException {
        return KernelInstaller.install(new KernelInstaller.Request(prefix.resolve("share/jupyter/kernels"),
                Path.of("kernel-ext"), jar, lib, null, jjavaDir, JAVA, 17, false));
    }

    private static List<String> argv(JsonNode spec) {
        List<String> argv = new ArrayList<>();
        spec.path("argv").forEach(arg -> argv.add(arg.asText()));
        return argv;
    }

    @Test
    void embeddedKernelSpec() throws IOException {
        Path dir = install(null);
        assertEquals(prefix.resolve("share/jupyter/kernels/java").toAbsolutePath(), dir);
        JsonNode spec = JSON.readTree(dir.resolve("kernel.json").toFile());
        assertEquals(List.of(JAVA, "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dorg.bytedeco.javacpp.maxbytes=512m",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=1280m", "-Djava.awt.headless=true",
                "-Djava.security.manager=allow",
                "-cp", dir + "/lib/*", "org.shapelab.kernel.ShapeLabKernel", "--startup", dir + "/startup.jsh",
                "{connection_file}"), argv(spec));
        assertEquals("Java (ShapeLab)", spec.path("display_name").asText());
        assertEquals("java", spec.path("language").asText());
        assertEquals("message", spec.path("interrupt_mode").asText());
        assertEquals("2", spec.path("env").path("OMP_NUM_THREADS").asText());
        assertEquals("PASSIVE", spec.path("env").path("OMP_WAIT_POLICY").asText());
        assertEquals("embedded", spec.path("metadata").path("shapelab").path("kernel").asText());
        assertEquals(Files.readString(Path.of("kernel-ext/startup.jsh")), Files.readString(dir.resolve("startup.jsh")));
        assertEquals(List.of("jupyter-jvm-basekernel-2.3.0.jar", "nd4j-api.jar", "shapelab-0.1.0.jar"), listing(dir.resolve("lib")));
    }

    @Test
    void theSecurityManagerIsAllowedOnlyWhereJavaAcceptsIt() throws IOException {
        for (int feature : List.of(17, 21, 23, 24, 25)) {
            List<String> argv = argv(JSON.readTree(install(null, feature).resolve("kernel.json").toFile()));
            assertEquals(feature < 24, argv.contains("-Djava.security.manager=allow"), feature + ": " + argv);
            assertEquals("org.shapelab.kernel.ShapeLabKernel", argv.get(argv.indexOf("-cp") + 2), argv.toString());
        }
    }

    @Test
    void ijavaFromItsReleaseZip() throws IOException {
        Path dir = install(fakeIJavaZip("1.3.0"));
        JsonNode spec = JSON.readTree(dir.resolve("kernel.json").toFile());
        assertEquals(List.of(JAVA, "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dorg.bytedeco.javacpp.maxbytes=512m",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=1280m", "-Djava.awt.headless=true",
                "-jar", dir + "/ijava-1.3.0.jar", "{connection_file}"), argv(spec));
        assertEquals("Java (ShapeLab, IJava 1.3.0)", spec.path("display_name").asText());
        assertEquals("message", spec.path("interrupt_mode").asText());
        JsonNode env = spec.path("env");
        assertEquals(String.join(":", dir + "/lib/shapelab-0.1.0.jar", dir + "/lib/jupyter-jvm-basekernel-2.3.0.jar",
                dir + "/lib/nd4j-api.jar"), env.path("IJAVA_CLASSPATH").asText());
        assertEquals(dir + "/startup.jsh", env.path("IJAVA_STARTUP_SCRIPTS_PATH").asText());
        assertEquals("2", env.path("OMP_NUM_THREADS").asText());
        assertEquals("PASSIVE", env.path("OMP_WAIT_POLICY").asText());
        assertEquals("ijava", spec.path("metadata").path("shapelab").path("kernel").asText());
        assertEquals("the ijava jar", Files.readString(dir.resolve("ijava-1.3.0.jar")));
        assertTrue(Files.exists(dir.resolve("dependency-licenses/gson.txt")));
        assertFalse(Files.exists(dir.resolve("install.py")), "only the zip's java/ folder is the kernelspec");
    }

    @Test
    void reinstallingReplacesTheKernelSpec() throws IOException {
        Path dir = install(fakeIJavaZip("1.3.0"));
        install(null);
        assertFalse(Files.exists(dir.resolve("ijava-1.3.0.jar")));
        assertEquals("Java (ShapeLab)", JSON.readTree(dir.resolve("kernel.json").toFile()).path("display_name").asText());
    }

    @Test
    void aZipWithoutKernelJsonIsRejected() throws IOException {
        Path zip = temp.resolve("other.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            entry(out, "README.md", "not IJava");
        }
        IOException e = assertThrows(IOException.class, () -> install(zip));
        assertTrue(e.getMessage().contains("not an IJava release zip"), e.getMessage());
    }

    @Test
    void missingBuildOutputIsExplained() {
        jar = temp.resolve("absent.jar");
        IOException e = assertThrows(IOException.class, () -> install(null));
        assertTrue(e.getMessage().contains("build first"), e.getMessage());
    }

    @Test
    void commandLine() {
        KernelInstaller.Request request = KernelInstaller.parse(new String[] {"--kernel-ext", "kernel-ext", "--jar",
                "a.jar", "--lib", "lib", "--prefix", "/opt/conda", "--ijava", "ijava-1.3.0.zip"});
        assertEquals(Path.of("/opt/conda/share/jupyter/kernels"), request.kernelsDir());
        assertEquals(Path.of("ijava-1.3.0.zip"), request.ijavaZip());
        assertTrue(request.java().endsWith("/bin/java"), request.java());
        assertEquals(Runtime.version().feature(), request.javaFeature());
        KernelInstaller.Request user = KernelInstaller.parse(new String[] {"--kernel-ext", "k", "--jar", "a.jar",
                "--lib", "lib"});
        assertEquals(KernelInstaller.userDataDir().resolve("kernels"), user.kernelsDir());
        assertThrows(IllegalArgumentException.class, () -> KernelInstaller.parse(new String[] {"--system"}));
        assertThrows(IllegalArgumentException.class, () -> KernelInstaller.parse(new String[] {"--user"}));
    }

    @Test
    void jjavaFromItsKernelspecFolder() throws IOException {
        Path dir = installJJava(fakeJJavaDir("1.0-a6"));
        JsonNode spec = JSON.readTree(dir.resolve("kernel.json").toFile());
        // Started directly (one JVM, the installer's Java), with the option JJava's launcher would add.
        assertEquals(List.of(JAVA, "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dorg.bytedeco.javacpp.maxbytes=512m",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=1280m", "-Djava.awt.headless=true", "--add-opens",
                "jdk.jshell/jdk.jshell=ALL-UNNAMED", "-jar", dir + "/jjava.jar", "{connection_file}"), argv(spec));
        assertEquals("Java (ShapeLab, JJava 1.0-a6)", spec.path("display_name").asText());
        assertEquals("message", spec.path("interrupt_mode").asText());
        JsonNode env = spec.path("env");
        assertEquals(dir + "/lib/shapelab-0.1.0.jar:" + dir + "/lib/jupyter-jvm-basekernel-2.3.0.jar:" + dir
                + "/lib/nd4j-api.jar", env.path("JJAVA_CLASSPATH").asText());
        // JJava 1.0-a6 runs start-up scripts before it adds JJAVA_CLASSPATH: ShapeLab's extension runs its own.
        assertTrue(env.path("JJAVA_STARTUP_SCRIPTS_PATH").isMissingNode(), env.toString());
        assertEquals("PASSIVE", env.path("OMP_WAIT_POLICY").asText());
        assertEquals("jjava", spec.path("metadata").path("shapelab").path("kernel").asText());
        assertEquals("launcher", Files.readString(dir.resolve("jjava-launcher.jar")));
        assertEquals(List.of("jjava-launcher.jar", "jjava.jar", "kernel.json", "lib", "startup.jsh"), listing(dir));
    }

    @Test
    void aFolderWithoutJJavaIsRejected() throws IOException {
        Path dir = Files.createDirectories(temp.resolve("not-jjava"));
        Files.writeString(dir.resolve("kernel.json"), "{}");
        IOException e = assertThrows(IOException.class, () -> installJJava(dir));
        assertTrue(e.getMessage().contains("not JJava's kernelspec folder") && e.getMessage().contains("jjava.jar"),
                e.getMessage());
    }

    @Test
    void ijavaAndJJavaTogetherAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelInstaller.parse(
                new String[] {"--kernel-ext", "k", "--jar", "a.jar", "--lib", "lib", "--ijava", "i.zip", "--jjava",
                        "jjava"}));
        assertTrue(e.getMessage().contains("give one of them"), e.getMessage());
        KernelInstaller.Request request = KernelInstaller.parse(new String[] {"--kernel-ext", "k", "--jar", "a.jar",
                "--lib", "lib", "--jjava", "jjava", "--no-class-cache"});
        assertEquals(Path.of("jjava"), request.jjavaDir());
        assertFalse(request.classCache());
        assertTrue(KernelInstaller.parse(new String[] {"--kernel-ext", "k", "--jar", "a.jar", "--lib", "lib"})
                .classCache());
    }

    /**
     * The layout of JJava's kernelspec zip (jjava-distro's assembly, zipped-kernel.xml), unpacked: kernel.json
     * running the launcher, the launcher, and the kernel jar with Maven's pom.properties.
     */
    private Path fakeJJavaDir(String version) throws IOException {
        Path dir = Files.createDirectories(temp.resolve("jjava-" + version + "-kernelspec"));
        Files.writeString(dir.resolve("kernel.json"), """
                {
                    "argv": ["java", "-jar", "{resource_dir}/jjava-launcher.jar", "{resource_dir}/jjava.jar",
                             "{connection_file}"],
                    "display_name": "Java (jjava)",
                    "language": "java",
                    "interrupt_mode": "message",
                    "env": {},
                    "metadata": {}
                }
                """);
        Files.writeString(dir.resolve("jjava-launcher.jar"), "launcher");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(dir.resolve("jjava.jar")))) {
            entry(out, "META-INF/maven/org.dflib.jjava/jjava-distro/pom.properties",
                    "artifactId=jjava-distro\ngroupId=org.dflib.jjava\nversion=" + version + "\n");
        }
        return dir;
    }

    /** The layout of IJava's release zip: install.py beside java/ with kernel.json, the jar and licenses. */
    private Path fakeIJavaZip(String version) throws IOException {
        Path zip = temp.resolve("ijava-" + version + ".zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            entry(out, "install.py", "# IJava's installer (not used: ShapeLab writes the kernelspec itself)\n");
            entry(out, "java/kernel.json", """
                    {
                      "argv": ["java", "-jar", "@KERNEL_INSTALL_DIRECTORY@/ijava-%s.jar", "{connection_file}"],
                      "display_name": "Java",
                      "language": "java",
                      "interrupt_mode": "message",
                      "env": {}
                    }
                    """.formatted(version));
            entry(out, "java/ijava-" + version + ".jar", "the ijava jar");
            entry(out, "java/dependency-licenses/gson.txt", "Apache-2.0");
        }
        return zip;
    }

    private static void entry(ZipOutputStream out, String name, String content) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        out.write(content.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }

    private static List<String> listing(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
