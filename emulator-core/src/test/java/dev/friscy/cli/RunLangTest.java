package dev.friscy.cli;

import dev.friscy.image.TestImages;
import dev.friscy.testing.GuestRunner;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** `run` sets LANG=C.UTF-8 only where the image has that locale; an explicit --env LANG always stays. */
class RunLangTest {
    @Test
    void noUtf8LocaleNoLang() {
        String image = TestImages.busybox().toString(); // busybox-static only: no /usr/lib/locale/C.utf8
        GuestRunner.Result r = GuestRunner.friscyArgs(List.of("--image", image, "--", "/bin/sh", "-c", "echo \"[${LANG-unset}]\""), "");
        assertEquals("[unset]\n", r.stdout, r.toString());
        r = GuestRunner.friscyArgs(List.of("--env", "LANG=C.UTF-8", "--image", image, "--", "/bin/sh", "-c", "echo \"[$LANG]\""), "");
        assertEquals("[C.UTF-8]\n", r.stdout, r.toString());
    }
}
