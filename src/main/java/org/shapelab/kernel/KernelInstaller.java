package org.shapelab.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Installs the Jupyter kernelspec {@code java}: ShapeLab's own kernel by default, IJava from its release zip
 * with ShapeLab on its class path and ShapeLab's start-up script, or JJava from its kernelspec folder with
 * ShapeLab on its class path (where {@link JJavaExtension} sets ShapeLab up). What Jupyter's
 * {@code install_kernel_spec} does, without needing Python: the kernelspec directory gets
 * {@code kernel.json}, the start-up script and the jars ({@code lib/}), so it keeps working when the
 * build directory is cleaned.
 *
 * <p>JVM options and environment (sized for a 1-2 GB Binder container) come from the template
 * {@code kernel-ext/kernel.json} and apply to both kernels. ShapeLab's own kernel also gets
 * {@value #ALLOW_SECURITY_MANAGER} on Java 17-23, so that {@link ExitGuard} can keep a cell's {@code System.exit}
 * from ending the kernel (17 allows it anyway, 18-23 only so); never on Java 24 and later, which refuse to start
 * with it and have no security manager at all.
 *
 * <p>Then the installed kernel runs once, to make its class-data sharing archive ({@link ClassCache}), which the
 * kernelspec then uses: the kernel starts faster. {@code --no-class-cache} skips that.
 *
 * <pre>KernelInstaller --kernel-ext DIR --jar SHAPELAB.jar --lib DEPENDENCY_DIR [--user | --prefix DIR]
 *                 [--ijava ZIP | --jjava DIR] [--no-class-cache]</pre>
 */
public final class KernelInstaller {

    static final String NAME = "java";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern IJAVA_JAR = Pattern.compile("ijava-([0-9][^/]*)\\.jar");
    /** The JVM option JJava's own launcher (jjava-launcher.jar) adds for its kernel: JJava reaches into JShell. */
    static final List<String> JJAVA_JVM_OPTIONS = List.of("--add-opens", "jdk.jshell/jdk.jshell=ALL-UNNAMED");

    static final String ALLOW_SECURITY_MANAGER = "-Djava.security.manager=allow";
    /** The first Java that stops at start-up when told to allow a security manager (JEP 486). */
    private static final int NO_SECURITY_MANAGER = 24;

    /**
     * What to install where. {@code ijavaZip} and {@code jjavaDir} both null install ShapeLab's own kernel;
     * {@code javaFeature} is the feature version (17, 21, ...) of {@code java}; {@code classCache} makes the
     * class-data archive.
     */
    record Request(Path kernelsDir, Path kernelExt, Path shapelabJar, Path libDir, Path ijavaZip, Path jjavaDir,
                   String java, int javaFeature, boolean classCache) {
    }

    private KernelInstaller() {
    }

    public static void main(String[] args) {
        try {
            Request request = parse(args);
            Path kernelDir = install(request);
            ObjectNode spec = (ObjectNode) JSON.readTree(kernelDir.resolve("kernel.json").toFile());
            System.out.println("Installed kernelspec \"" + NAME + "\" (" + spec.path("display_name").asText() + ") in "
                    + kernelDir);
            if (request.classCache()) {
                System.out.println("Starting it once for a faster start: " + ClassCache.make(kernelDir, spec));
                JSON.writeValue(kernelDir.resolve("kernel.json").toFile(), spec);
            }
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("install-kernel: " + e.getMessage());
            System.exit(2);
        }
    }

    static Request parse(String[] args) {
        Path kernelsDir = null;
        Path kernelExt = null;
        Path jar = null;
        Path lib = null;
        Path ijava = null;
        Path jjava = null;
        boolean classCache = true;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--user" -> kernelsDir = userDataDir().resolve("kernels");
                case "--prefix" -> kernelsDir = Path.of(value(args, ++i, option)).resolve("share/jupyter/kernels");
                case "--ijava" -> ijava = Path.of(value(args, ++i, option));
                case "--jjava" -> jjava = Path.of(value(args, ++i, option));
                case "--no-class-cache" -> classCache = false;
                case "--kernel-ext" -> kernelExt = Path.of(value(args, ++i, option));
                case "--jar" -> jar = Path.of(value(args, ++i, option));
                case "--lib" -> lib = Path.of(value(args, ++i, option));
                default -> throw new IllegalArgumentException("unknown option " + option
                        + "; use [--user | --sys-prefix | --prefix DIR] [--ijava ZIP | --jjava DIR] [--no-class-cache]");
            }
        }
        if (ijava != null && jjava != null) {
            throw new IllegalArgumentException("--ijava and --jjava each install the kernel \"" + NAME
                    + "\"; give one of them");
        }
        if (kernelExt == null || jar == null || lib == null) {
            throw new IllegalArgumentException("--kernel-ext, --jar and --lib are required (./shapelab passes them)");
        }
        // The kernel runs on the Java that runs this installer.
        return new Request(kernelsDir != null ? kernelsDir : userDataDir().resolve("kernels"), kernelExt, jar, lib,
                ijava, jjava, Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                Runtime.version().feature(), classCache);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** Jupyter's per-user data directory, as jupyter_core computes it. */
    static Path userDataDir() {
        String explicit = System.getenv("JUPYTER_DATA_DIR");
        if (explicit != null && !explicit.isEmpty()) {
            return Path.of(explicit);
        }
        Path home = Path.of(System.getProperty("user.home"));
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac")) {
            return home.resolve("Library/Jupyter");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        return (xdg != null && !xdg.isEmpty() ? Path.of(xdg) : home.resolve(".local/share")).resolve("jupyter");
    }

    /** Installs (replacing any kernelspec of the same name) and returns the kernelspec directory. */
    static Path install(Request request) throws IOException {
        for (Path required : List.of(request.kernelExt().resolve("kernel.json"),
                request.kernelExt().resolve("startup.jsh"), request.shapelabJar())) {
            if (!Files.isRegularFile(required)) {
                throw new IOException("missing " + required + " (build first: mvn package)");
            }
        }
        Path kernelDir = request.kernelsDir().resolve(NAME).toAbsolutePath().normalize();
        deleteRecursively(kernelDir);
        Files.createDirectories(kernelDir.resolve("lib"));
        List<Path> jars = new ArrayList<>();
        jars.add(copy(request.shapelabJar(), kernelDir.resolve("lib"), false));
        try (Stream<Path> files = Files.list(request.libDir())) {
            for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                jars.add(copy(jar, kernelDir.resolve("lib"), true));
            }
        }
        Path startup = copy(request.kernelExt().resolve("startup.jsh"), kernelDir, false);
        ObjectNode template = (ObjectNode) JSON.readTree(request.kernelExt().resolve("kernel.json").toFile());
        substitute(template, Map.of("@JAVA@", request.java(), "@KERNEL_DIR@", kernelDir.toString()));
        ObjectNode spec = request.ijavaZip() != null ? ijavaSpec(request.ijavaZip(), kernelDir, template, jars, startup)
                : request.jjavaDir() != null ? jjavaSpec(request.jjavaDir(), kernelDir, template, jars)
                : embeddedSpec(template, request.javaFeature());
        JSON.writeValue(kernelDir.resolve("kernel.json").toFile(), spec);
        return kernelDir;
    }

    /** The template, with the security manager allowed where Java still has one. */
    private static ObjectNode embeddedSpec(ObjectNode template, int javaFeature) {
        if (javaFeature < NO_SECURITY_MANAGER) {
            ArrayNode argv = (ArrayNode) template.path("argv");
            argv.insert(jvmOptions(template).size() + 1, ALLOW_SECURITY_MANAGER);
        }
        return template;
    }

    /**
     * IJava's own kernel.json from its release zip (install.py and java/: kernel.json, the ijava jar), with
     * ShapeLab's JVM options, environment, class path ({@code IJAVA_CLASSPATH}) and start-up script
     * ({@code IJAVA_STARTUP_SCRIPTS_PATH}).
     */
    private static ObjectNode ijavaSpec(Path zip, Path kernelDir, ObjectNode template, List<Path> jars, Path startup)
            throws IOException {
        String version = unzipKernelFiles(zip, kernelDir);
        Path specFile = kernelDir.resolve("kernel.json");
        if (!Files.isRegularFile(specFile)) {
            throw new IOException(zip + " is not an IJava release zip: it has no java/kernel.json");
        }
        ObjectNode spec = (ObjectNode) JSON.readTree(specFile.toFile());
        substitute(spec, Map.of("@KERNEL_INSTALL_DIRECTORY@", kernelDir.toString()));
        ArrayNode ijavaArgv = (ArrayNode) spec.path("argv");
        ArrayNode argv = JSON.createArrayNode();
        argv.add(template.path("argv").path(0).asText());
        for (JsonNode option : jvmOptions(template)) {
            argv.add(option);
        }
        for (int i = 1; i < ijavaArgv.size(); i++) {
            argv.add(ijavaArgv.get(i));
        }
        spec.set("argv", argv);
        spec.put("display_name", "Java (ShapeLab, IJava" + (version == null ? "" : " " + version) + ")");
        ObjectNode env = spec.path("env") instanceof ObjectNode existing ? existing : spec.putObject("env");
        template.path("env").fields().forEachRemaining(e -> env.set(e.getKey(), e.getValue()));
        env.put("IJAVA_CLASSPATH", String.join(":", jars.stream().map(Path::toString).toList()));
        env.put("IJAVA_STARTUP_SCRIPTS_PATH", startup.toString());
        spec.putObject("metadata").putObject("shapelab").put("kernel", "ijava");
        return spec;
    }

    /**
     * JJava from its kernelspec folder (what its release's kernelspec zip unpacks to: kernel.json, jjava.jar,
     * jjava-launcher.jar), with ShapeLab's JVM options, environment and class path ({@code JJAVA_CLASSPATH}, where
     * JJava finds {@link JJavaExtension}). The kernel is started directly, with the one JVM option JJava's launcher
     * would add: one JVM instead of two at every start, and the Java of this installer (the launcher runs the
     * {@code java} on the PATH), which the class-data archive needs. No {@code JJAVA_STARTUP_SCRIPTS_PATH}: JJava
     * 1.0-a6 runs those scripts before it adds the class path, and the extension runs ShapeLab's.
     */
    private static ObjectNode jjavaSpec(Path dir, Path kernelDir, ObjectNode template, List<Path> jars)
            throws IOException {
        Path specFile = dir.resolve("kernel.json");
        Path jjavaJar = dir.resolve("jjava.jar");
        if (!Files.isRegularFile(specFile) || !Files.isRegularFile(jjavaJar)) {
            throw new IOException(dir + " is not JJava's kernelspec folder: it needs kernel.json and jjava.jar"
                    + " (unzip JJava's jjava-VERSION-kernelspec.zip and give its folder)");
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                copy(file, kernelDir, false);
            }
        }
        ObjectNode spec = (ObjectNode) JSON.readTree(specFile.toFile());
        ArrayNode argv = JSON.createArrayNode();
        argv.add(template.path("argv").path(0).asText());
        jvmOptions(template).forEach(argv::add);
        JJAVA_JVM_OPTIONS.forEach(argv::add);
        argv.add("-jar").add(kernelDir.resolve("jjava.jar").toString()).add("{connection_file}");
        spec.set("argv", argv);
        String version = jjavaVersion(jjavaJar);
        spec.put("display_name", "Java (ShapeLab, JJava" + (version == null ? "" : " " + version) + ")");
        ObjectNode env = spec.path("env") instanceof ObjectNode existing ? existing : spec.putObject("env");
        template.path("env").fields().forEachRemaining(e -> env.set(e.getKey(), e.getValue()));
        env.put("JJAVA_CLASSPATH", String.join(":", jars.stream().map(Path::toString).toList()));
        spec.putObject("metadata").putObject("shapelab").put("kernel", "jjava");
        return spec;
    }

    /** JJava's version, from the Maven properties its jar carries; null if it has none. */
    static String jjavaVersion(Path jar) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().equals("META-INF/maven/org.dflib.jjava/jjava-distro/pom.properties")) {
                    java.util.Properties properties = new java.util.Properties();
                    properties.load(in);
                    return properties.getProperty("version");
                }
            }
        }
        return null;
    }

    /** The template's JVM options: the arguments between the java command and the class path. */
    private static List<JsonNode> jvmOptions(ObjectNode template) {
        List<JsonNode> options = new ArrayList<>();
        JsonNode argv = template.path("argv");
        for (int i = 1; i < argv.size() && !argv.get(i).asText().equals("-cp"); i++) {
            options.add(argv.get(i));
        }
        return options;
    }

    /** Extracts the zip's java/ folder into the kernel directory; returns IJava's version from its jar name. */
    private static String unzipKernelFiles(Path zip, Path kernelDir) throws IOException {
        String version = null;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                String name = entry.getName().replace('\\', '/');
                if (!name.startsWith("java/") || entry.isDirectory()) {
                    continue;
                }
                Path target = kernelDir.resolve(name.substring("java/".length())).normalize();
                if (!target.startsWith(kernelDir)) {
                    throw new IOException(zip + " has an entry outside its folder: " + name);
                }
                Files.createDirectories(target.getParent());
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                Matcher jar = IJAVA_JAR.matcher(target.getFileName().toString());
                if (jar.matches()) {
                    version = jar.group(1);
                }
            }
        }
        return version;
    }

    /** Replaces tokens in every string of a JSON tree. */
    private static void substitute(JsonNode node, Map<String, String> tokens) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isTextual()) {
                    field.setValue(new TextNode(replace(field.getValue().asText(), tokens)));
                } else {
                    substitute(field.getValue(), tokens);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    array.set(i, new TextNode(replace(array.get(i).asText(), tokens)));
                } else {
                    substitute(array.get(i), tokens);
                }
            }
        }
    }

    private static String replace(String text, Map<String, String> tokens) {
        for (Map.Entry<String, String> token : tokens.entrySet()) {
            text = text.replace(token.getKey(), token.getValue());
        }
        return text;
    }

    /**
     * Copies a file into a directory. Dependency jars are hard-linked where the file system allows: they
     * are large (ND4J's natives) and never change in place.
     */
    private static Path copy(Path file, Path dir, boolean link) throws IOException {
        Path target = dir.resolve(file.getFileName().toString());
        if (link) {
            try {
                return Files.createLink(target, file.toAbsolutePath());
            } catch (FileSystemException | UnsupportedOperationException crossDevice) {
                // fall through to a copy
            }
        }
        try (InputStream in = Files.newInputStream(file)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
