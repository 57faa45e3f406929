package org.shapelab.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * {@link BlasCore}: the CPU flags to OpenBLAS core rule on real {@code /proc/cpuinfo} lines, and, in fresh JVMs, that
 * the chosen core is the one OpenBLAS runs on, that a core the user set is kept, and that a selection after OpenBLAS
 * has loaded changes nothing.
 */
class BlasCoreTest {

    /** This project's machine: a KVM guest on an Emerald Rapids Xeon (family 6, model 207), 2026-12-01. */
    private static final String EMERALD_RAPIDS = "vendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 207\n"
            + "model name\t: Intel(R) Xeon(R) Processor\n"
            + "flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse "
            + "sse2 ss ht syscall nx pdpe1gb rdtscp lm constant_tsc rep_good nopl xtopology nonstop_tsc cpuid "
            + "tsc_known_freq pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes "
            + "xsave avx f16c rdrand hypervisor lahf_lm abm 3dnowprefetch cpuid_fault fsgsbase tsc_adjust bmi1 hle avx2 "
            + "smep bmi2 erms invpcid rtm avx512f avx512dq rdseed adx smap avx512ifma clflushopt clwb avx512cd sha_ni "
            + "avx512bw avx512vl xsaveopt xsavec xgetbv1 xsaves arat avx512vbmi umip avx512_vbmi2 gfni vaes vpclmulqdq "
            + "avx512_vnni avx512_bitalg avx512_vpopcntdq rdpid fsrm arch_capabilities\n";

    /** An AMD EPYC 7B13 (Zen 3, family 25 model 1) KVM guest, as cloud VMs and Binder hosts show it: AVX2, no AVX-512. */
    private static final String ZEN3 = "vendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 1\n"
            + "model name\t: AMD EPYC 7B13\n"
            + "flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse "
            + "sse2 ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm constant_tsc rep_good nopl nonstop_tsc cpuid "
            + "extd_apicid tsc_known_freq pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt aes xsave "
            + "avx f16c rdrand hypervisor lahf_lm cmp_legacy cr8_legacy abm sse4a misalignsse 3dnowprefetch osvw topoext "
            + "invpcid_single ssbd ibrs ibpb stibp vmmcall fsgsbase tsc_adjust bmi1 avx2 smep bmi2 erms invpcid rdseed "
            + "adx smap clflushopt clwb sha_ni xsaveopt xsavec xgetbv1 clzero xsaveerptr arat npt nrip_save umip vaes "
            + "vpclmulqdq rdpid fsrm\n";

    /** A Haswell server (Xeon E5-2680 v3, family 6 model 63) on bare metal: AVX2 and FMA. */
    private static final String HASWELL = "vendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 63\n"
            + "model name\t: Intel(R) Xeon(R) CPU E5-2680 v3 @ 2.50GHz\n"
            + "flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx "
            + "fxsr sse sse2 ss ht tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc arch_perfmon pebs bts rep_good nopl "
            + "xtopology nonstop_tsc aperfmperf eagerfpu pni pclmulqdq dtes64 monitor ds_cpl vmx smx est tm2 ssse3 sdbg "
            + "fma cx16 xtpr pdcm pcid dca sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand "
            + "lahf_lm abm epb tpr_shadow vnmi flexpriority ept vpid fsgsbase tsc_adjust bmi1 avx2 smep bmi2 erms invpcid "
            + "cqm xsaveopt cqm_llc cqm_occup_llc dtherm ida arat pln pts\n";

    /**
     * A Skylake laptop CPU (Core i5-6267U) inside VirtualBox, which hides AVX2 and FMA from the guest: AVX only. From
     * johanlouwers.blogspot.com/2017/07/oracle-linux-reading-cpu-flags-from.html.
     */
    private static final String AVX_ONLY = "vendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 78\n"
            + "model name\t: Intel(R) Core(TM) i5-6267U CPU @ 2.90GHz\n"
            + "flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse "
            + "sse2 ht syscall nx rdtscp lm constant_tsc rep_good nopl xtopology nonstop_tsc pni pclmulqdq ssse3 cx16 "
            + "sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx rdrand hypervisor lahf_lm abm 3dnowprefetch rdseed "
            + "clflushopt\n";

    /** A Core 2 Duo E8400 (from unix.stackexchange.com/questions/43539): SSE4.1, no AVX. */
    private static final String NO_AVX = "vendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 23\n"
            + "model name\t: Intel(R) Core(TM)2 Duo CPU     E8400  @ 3.00GHz\n"
            + "flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx "
            + "fxsr sse sse2 ss ht tm pbe syscall nx lm constant_tsc arch_perfmon pebs bts rep_good aperfmperf pni "
            + "dtes64 monitor ds_cpl vmx smx est tm2 ssse3 cx16 xtpr pdcm sse4_1 lahf_lm tpr_shadow vnmi flexpriority\n";

    @Test
    void avx512XeonGetsSkylakeX() {
        assertEquals("SkylakeX", BlasCore.forCpuInfo(EMERALD_RAPIDS));
    }

    @Test
    void zen3GetsZen() {
        assertEquals("Zen", BlasCore.forCpuInfo(ZEN3));
    }

    @Test
    void haswellGetsHaswell() {
        assertEquals("Haswell", BlasCore.forCpuInfo(HASWELL));
    }

    @Test
    void avxWithoutAvx2GetsSandybridge() {
        assertEquals("Sandybridge", BlasCore.forCpuInfo(AVX_ONLY));
    }

    @Test
    void noAvxLeavesItToOpenBlas() {
        assertNull(BlasCore.forCpuInfo(NO_AVX));
        assertNull(BlasCore.forCpuInfo(""));
    }

    @Test
    void avx512WithoutBwIsNotSkylakeX() {
        // Knights Landing has avx512f/cd but neither bw, dq nor vl; SkylakeX's kernels would not run there.
        String knl = HASWELL.replace(" avx2 ", " avx2 avx512f avx512cd avx512er avx512pf ");
        assertEquals("Haswell", BlasCore.forCpuInfo(knl));
    }

    @Test
    void amdWithAvx512StillGetsZen() {
        String zen4 = ZEN3.replace(" avx2 ", " avx2 avx512f avx512dq avx512cd avx512bw avx512vl ");
        assertEquals("Zen", BlasCore.forCpuInfo(zen4));
    }

    @Test
    void freshJvmRunsOnTheChosenCore() throws Exception {
        String chosen = BlasCore.forThisCpu();
        assumeTrue(chosen != null, "no core is chosen for this CPU (" + BlasCore.cpuSummary() + ")");
        Map<String, String> probe = probe(null);
        assertEquals("false", probe.get("loaded-before"), probe.toString());
        assertEquals(chosen + " (chosen from the CPU flags)", probe.get("selection"));
        assertEquals(chosen, probe.get("getenv"));
        assertEquals(chosen.toLowerCase(), probe.get("core").toLowerCase(), probe.toString());
        assertEquals("true", probe.get("loaded-after"), probe.toString());
        assertEquals(probe.get("selection"), probe.get("again"));
    }

    @Test
    void aCoreTheUserSetIsKept() throws Exception {
        // Haswell differs from what this rule picks on the AVX-512 and Zen machines; Sandybridge where it is Haswell.
        String user = "Haswell".equals(BlasCore.forThisCpu()) ? "Sandybridge" : "Haswell";
        Map<String, String> probe = probe(Map.of(BlasCore.VARIABLE, user));
        assertEquals(user + " (OPENBLAS_CORETYPE set by the user)", probe.get("selection"));
        assertEquals(user, probe.get("getenv"));
        assertEquals(user.toLowerCase(), probe.get("core").toLowerCase(), probe.toString());
    }

    @Test
    void afterOpenBlasHasLoadedNothingChanges() throws Exception {
        Map<String, String> probe = probe(null, "nd4j-first");
        assertEquals("true", probe.get("loaded-before"), probe.toString());
        assertTrue(probe.get("selection").startsWith("not chosen: OpenBLAS was loaded before"), probe.toString());
        assertEquals("null", probe.get("getenv"));
    }

    private static Map<String, String> probe(Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                BlasCoreProbe.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove(BlasCore.VARIABLE);
        if (env != null) {
            builder.environment().putAll(env);
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the probe JVM did not finish:\n" + output);
        assertEquals(0, process.exitValue(), output);
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            if (line.matches("[a-z-]+=.*")) {
                values.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        return values;
    }
}
