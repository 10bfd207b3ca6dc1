package dev.friscy.testing;

import dev.friscy.jit.jvm.JvmTranslator;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Puts every test class in the translator mode the {@code friscy.jit} system property names:
 * {@code off} (interpreter only), a threshold ({@code 0} translates at first sight) or unset for
 * the default. The build runs the differential tests once per mode (see emulator-core/pom.xml).
 * Registered through META-INF/services with JUnit's extension auto-detection.
 */
public final class JitMode implements BeforeAllCallback {
    private static volatile boolean installed;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!installed) {
            synchronized (JitMode.class) {
                if (!installed) {
                    JvmTranslator.installFromProperty();
                    installed = true;
                }
            }
        }
    }
}
