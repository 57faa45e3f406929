package org.shapelab.compute;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Chooses OpenBLAS's kernels ("core") from the CPU's flags, before ND4J loads OpenBLAS.
 *
 * <p>Why: ND4J 1.0.0-M2.1 bundles OpenBLAS 0.3.19, built with {@code DYNAMIC_ARCH}, which picks its core from the
 * CPUID family and model when the library is initialised ({@code gotoblas_dynamic_init}, line 1042 of
 * {@code driver/others/dynamic.c} at OpenBLAS tag v0.3.19). Its Intel table ({@code get_coretype}, line 416) knows
 * extended models 0 to 10 only; for any other the inner {@code switch (exmodel)} has no case and, with no
 * {@code break} after it, falls through into {@code case 0xf:} of the family switch (line 762), which returns
 * Prescott (2004, SSE3). Emerald Rapids (family 6, model 0xCF, this project's Xeon), Raptor Lake
 * (0xB7, 0xBA, 0xBF), Lunar Lake and Arrow Lake all take that path. On this Xeon OpenBLAS's sgemm ran at a fifth to a
 * third of SkylakeX's rate ({@code tools/bench/sgemm}). {@code OPENBLAS_CORETYPE}, read by the same function with
 * {@code getenv} (line 1051), overrides the table.
 *
 * <p>The rule, from the flags in {@code /proc/cpuinfo} (what the kernel lets programs use, XSAVE state included),
 * naming only cores that 0.3.19's {@code force_coretype} accepts (its loop at line 991 compares {@code corename[]}
 * entries 1 to 24, so "Cooperlake", entry 25, cannot be set):
 * <ol>
 *   <li>Intel with {@code avx512f avx512cd avx512bw avx512dq avx512vl}: <b>SkylakeX</b>. Those are the instructions
 *       of {@code -march=skylake-avx512}, which OpenBLAS's SkylakeX kernels are built for; its own check,
 *       {@code support_avx512()} (line 342), asks for AVX2, AVX512VL and the OS saving zmm registers.</li>
 *   <li>AMD or Hygon with {@code avx2 fma}: <b>Zen</b>, as 0.3.19's table gives every AMD family 0x17 to 0x19
 *       (Zen 1 to 4) with AVX. Zen's kernels are Haswell's with Zen's block sizes.</li>
 *   <li>Intel with {@code avx2 fma}: <b>Haswell</b> (AVX2 and FMA3 kernels).</li>
 *   <li>Intel with {@code avx}: <b>Sandybridge</b>.</li>
 *   <li>Anything else (no AVX, other vendors, not x86-64): no choice; OpenBLAS's own table decides.</li>
 * </ol>
 *
 * <p>How: the variable goes into the process environment with libc's {@code setenv} through JNA (ND4J brings JNA
 * with oshi), so that OpenBLAS's {@code getenv} sees it when ND4J loads the library. Java's own
 * {@code System.getenv} keeps the copy it made at JVM start and does not show the change. Nothing here loads an
 * ND4J or JavaCPP class. {@link Nd4jRuntime#ensureLoaded()} calls {@link #selectForThisCpu()} before ND4J's backend
 * starts; scripts get the same choice from {@link #main}.
 */
public final class BlasCore {

    /** The environment variable OpenBLAS reads. */
    public static final String VARIABLE = "OPENBLAS_CORETYPE";

    private static final Set<String> AVX512_SKYLAKE =
            Set.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl");

    private static String selection;

    private BlasCore() {
    }

    /**
     * Prints the core {@link #selectForThisCpu()} would set on this machine, or nothing if there is none, for scripts:
     * {@code core="$(java -cp target/classes org.shapelab.compute.BlasCore)"}. It ignores {@code OPENBLAS_CORETYPE};
     * scripts call it only when the variable is unset. {@code --explain} prints the reasoning instead.
     */
    public static void main(String[] args) {
        String core = forThisCpu();
        if (args.length > 0 && args[0].equals("--explain")) {
            System.out.println(core == null ? "no OpenBLAS core chosen for this CPU: OpenBLAS's own table decides"
                    : "OpenBLAS core for this CPU: " + core + " (" + cpuSummary() + ")");
        } else if (core != null) {
            System.out.println(core);
        }
    }

    /**
     * Sets {@code OPENBLAS_CORETYPE} for this process to the core chosen from the CPU's flags, unless the user set it
     * or OpenBLAS is already loaded (then it changes nothing: OpenBLAS reads the variable once, when it is
     * initialised). Safe to call first thing and any number of times, from any thread; it never throws and loads no
     * ND4J class. Returns what happened, e.g. "SkylakeX (chosen from the CPU flags)"; the same text afterwards.
     *
     * <p>Call it before other threads start: libc's {@code setenv} may race with a {@code getenv} running elsewhere.
     */
    public static synchronized String selectForThisCpu() {
        if (selection != null) {
            return selection;
        }
        String user = System.getenv(VARIABLE);
        if (user != null && !user.isBlank()) {
            selection = user + " (" + VARIABLE + " set by the user)";
        } else if (openBlasLoaded()) {
            selection = "not chosen: OpenBLAS was loaded before ShapeLab could choose its core";
        } else {
            String core = forThisCpu();
            if (core == null) {
                selection = "not chosen: OpenBLAS's own table decides for this CPU";
            } else {
                String failure = setenv(VARIABLE, core);
                selection = failure == null ? core + " (chosen from the CPU flags)"
                        : "not chosen: setting " + VARIABLE + "=" + core + " failed (" + failure + ")";
            }
        }
        return selection;
    }

    /** The core for this machine's CPU ({@code /proc/cpuinfo}), or null for none; see the class comment. */
    public static String forThisCpu() {
        String arch = System.getProperty("os.arch", "");
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return null;
        }
        try {
            return forCpuInfo(Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The core for the first processor in a {@code /proc/cpuinfo} text, or null for none. */
    static String forCpuInfo(String cpuinfo) {
        return forCpu(field(cpuinfo, "vendor_id"), flags(cpuinfo));
    }

    /** The rule of the class comment: a vendor id (e.g. "GenuineIntel") and CPU flags to a core name, or null. */
    static String forCpu(String vendor, Set<String> flags) {
        boolean intel = "GenuineIntel".equals(vendor);
        boolean amd = "AuthenticAMD".equals(vendor) || "HygonGenuine".equals(vendor);
        boolean avx2 = flags.contains("avx") && flags.contains("avx2") && flags.contains("fma");
        if (intel && flags.containsAll(AVX512_SKYLAKE) && avx2) {
            return "SkylakeX";
        }
        if (amd && avx2) {
            return "Zen";
        }
        if (intel && avx2) {
            return "Haswell";
        }
        if (intel && flags.contains("avx")) {
            return "Sandybridge";
        }
        return null;
    }

    /** Model name and the flags the rule reads, e.g. "Intel(R) Xeon(R) Processor; avx avx2 fma avx512f ...". */
    public static String cpuSummary() {
        try {
            String cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
            Set<String> flags = flags(cpuinfo);
            StringBuilder simd = new StringBuilder();
            for (String flag : new String[] {"sse4_2", "avx", "avx2", "fma", "avx512f", "avx512cd", "avx512bw",
                    "avx512dq", "avx512vl", "avx512_vnni", "avx512_bf16", "amx_tile"}) {
                if (flags.contains(flag)) {
                    simd.append(simd.length() == 0 ? "" : " ").append(flag);
                }
            }
            return field(cpuinfo, "model name") + " (" + field(cpuinfo, "vendor_id") + "); " + simd;
        } catch (IOException | RuntimeException e) {
            return "CPU unknown (" + e.getMessage() + ")";
        }
    }

    private static String field(String cpuinfo, String name) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return "";
    }

    private static Set<String> flags(String cpuinfo) {
        return new HashSet<>(Arrays.asList(field(cpuinfo, "flags").toLowerCase(Locale.ROOT).split("\\s+")));
    }

    /** Whether a libopenblas is mapped into this process ({@code /proc/self/maps}); false if that cannot be read. */
    static boolean openBlasLoaded() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                if (line.contains("libopenblas")) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    /** libc's {@code setenv(name, value, 1)}; null on success, else why it failed. */
    private static String setenv(String name, String value) {
        try {
            int result = com.sun.jna.Function.getFunction("c", "setenv")
                    .invokeInt(new Object[] {name, value, 1});
            return result == 0 ? null : "setenv returned " + result;
        } catch (RuntimeException | LinkageError e) {
            return e.toString();
        }
    }

    /** libc's {@code getenv(name)}: the process environment as native code sees it (unlike System.getenv). */
    static String nativeGetenv(String name) {
        try {
            return com.sun.jna.Function.getFunction("c", "getenv").invokeString(new Object[] {name}, false);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
