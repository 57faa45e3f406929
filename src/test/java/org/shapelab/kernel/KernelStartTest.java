package org.shapelab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A kernel's JVM takes ShapeLab's logging settings, whichever simplelogger.properties comes first. */
class KernelStartTest {

    @Test
    void shapeLabsOwnLoggingSettingsBecomeSystemProperties() {
        System.clearProperty("org.slf4j.simpleLogger.log.io.jhdf");
        KernelStart.quietLibraryLogs();
        // from src/main/resources/simplelogger.properties, not jHDF's (INFO, to stdout)
        assertEquals("error", System.getProperty("org.slf4j.simpleLogger.log.io.jhdf"));
        assertEquals("System.err", System.getProperty("org.slf4j.simpleLogger.logFile"));
        assertEquals("warn", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel"));
    }

    @Test
    void aSettingTheUserMadeIsKept() {
        System.setProperty("org.slf4j.simpleLogger.log.io.jhdf", "debug");
        try {
            KernelStart.quietLibraryLogs();
            assertEquals("debug", System.getProperty("org.slf4j.simpleLogger.log.io.jhdf"));
        } finally {
            System.clearProperty("org.slf4j.simpleLogger.log.io.jhdf");
        }
    }
}
