package org.shapelab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.shapelab.compute.BlasCore;
import org.shapelab.compute.Nd4jRuntime;

/**
 * What a benchmark run ran on: the CPU and its SIMD flags, the ND4J native build, the OpenBLAS core that BLAS calls
 * run on, threads, load and process RSS.
 *
 * <p>The OpenBLAS core: OpenBLAS is built with {@code DYNAMIC_ARCH} and picks its kernels at load time from the CPU's
 * family and model, unless {@code OPENBLAS_CORETYPE} is set; {@link BlasCore} sets it from the CPU's flags
 * ({@link Nd4jRuntime#openBlasCore()} asks the loaded library).
 */
final class Machine {

    private Machine() {
    }

    /** {@code openblas_get_corename()} of the loaded OpenBLAS, e.g. "Haswell"; "unknown" if it cannot be called. */
    static String openBlasCore() {
        return Nd4jRuntime.openBlasCore();
    }

    /** {@code openblas_get_config()}: version, DYNAMIC_ARCH, the core and MAX_THREADS. */
    static String openBlasConfig() {
        return Nd4jRuntime.openBlasConfig();
    }

    /** lscpu's model name and the SIMD flags that matter for the native builds. */
    static Map<String, String> cpu() {
        Map<String, String> cpu = new LinkedHashMap<>();
        try {
            String info = Files.readString(Path.of("/proc/cpuinfo"));
            String model = "?";
            String flags = "";
            for (String line : info.split("\n")) {
                if (line.startsWith("model name") && model.equals("?")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                }
                if (line.startsWith("flags") && flags.isEmpty()) {
                    flags = " " + line.substring(line.indexOf(':') + 1).trim() + " ";
                }
            }
            List<String> simd = new ArrayList<>();
            for (String flag : new String[] {"sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl",
                    "avx512_vnni", "avx512_bf16", "amx_tile"}) {
                if (flags.contains(" " + flag + " ")) {
                    simd.add(flag);
                }
            }
            cpu.put("model", model);
            cpu.put("simd", String.join(" ", simd));
            cpu.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        } catch (IOException e) {
            cpu.put("model", "unknown (" + e.getMessage() + ")");
        }
        return cpu;
    }

    /** The 1-minute load average. */
    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    /** This process's resident set size (VmRSS), in MB. */
    static double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return Double.NaN;
    }

    /** One line per fact, for the reports. */
    static Map<String, String> describe() {
        Map<String, String> facts = new LinkedHashMap<>();
        Map<String, String> cpu = cpu();
        facts.put("CPU", cpu.get("model") + ", " + cpu.get("cores") + " cores");
        facts.put("SIMD flags", cpu.get("simd"));
        facts.put("JVM", System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ", "
                + String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
        facts.put("ND4J native build", Nd4jRuntime.nativeBuild());
        facts.put("OpenBLAS core", openBlasCore() + " (" + openBlasConfig() + ")");
        facts.put("OpenBLAS core chosen", BlasCore.selectForThisCpu());
        facts.put("OMP_NUM_THREADS", String.valueOf(System.getenv("OMP_NUM_THREADS")));
        return facts;
    }
}
