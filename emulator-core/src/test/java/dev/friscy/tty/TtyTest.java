package dev.friscy.tty;

import dev.friscy.errno.SyscallError;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The line discipline on its own: no guest, just bytes in and out. */
class TtyTest {
    final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    /** Signals the line discipline raised for the foreground group, in order; negative when not typed by the user. */
    final List<Integer> signals = new ArrayList<>();
    final Tty tty = new Tty(new Tty.Port() {
        @Override
        public void screen(byte[] b, int off, int len) {
            screen.write(b, off, len);
        }

        @Override
        public void signalForeground(int sig, boolean typed) {
            signals.add(typed ? sig : -sig);
        }
    });

    void in(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        tty.input(b, 0, b.length);
    }

    String read() {
        byte[] b = new byte[256];
        int n = tty.read(b, 0, b.length);
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    @Test
    void canonicalModeEditsAndDeliversWholeLines() {
        in("helo\u007flo wrld\u0017world\r");
        assertEquals("hello world\n", read());
        assertEquals("helo\b \blo wrld\b \b\b \b\b \b\b \bworld\r\n", screen.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void noCompleteLineMeansTheReaderWaits() {
        in("abc");
        SyscallError e = assertThrows(SyscallError.class, this::read);
        assertEquals(11, e.errno);
        in("\u0015xyz\n");
        assertEquals("xyz\n", read(), "^U kills the line");
    }

    @Test
    void eofCharacterEndsInputWithoutANewline() {
        in("ab\u0004");
        assertEquals("ab", read());
        in("\u0004");
        assertEquals("", read(), "^D on an empty line reads as end of file");
    }

    @Test
    void outputProcessingTurnsNewlinesIntoCrLf() {
        byte[] b = "a\nb".getBytes(StandardCharsets.ISO_8859_1);
        tty.output(b, 0, b.length);
        assertEquals("a\r\nb", screen.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void rawModePassesBytesThroughWithoutEcho() {
        tty.termios.lflag &= ~(Termios.ICANON | Termios.ECHO);
        in("x\u007fy");
        assertEquals("x\u007fy", read());
        assertEquals("", screen.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void controlCharactersEchoAsCaretNotation() {
        in("\u0001\n");
        assertEquals("^A\r\n", screen.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void signalCharactersGoToTheForegroundGroupAndDropPendingInput() {
        in("abc\u0003");
        in("\u001c\u001a");
        assertEquals(List.of(Tty.SIGINT, Tty.SIGQUIT, Tty.SIGTSTP), signals);
        in("x\n");
        assertEquals("x\n", read(), "the half line before ^C was dropped");
        tty.resize(100, 40);
        tty.resize(100, 40);
        assertEquals(-Tty.SIGWINCH, signals.get(signals.size() - 1), "a resize is not typed");
        assertEquals(4, signals.size(), "an unchanged size raises nothing");
    }

    @Test
    void stopCharacterHoldsOutputAndEchoUntilStart() {
        in("\u0013");
        assertEquals(true, tty.outputStopped());
        in("ab\n");
        assertEquals("", screen.toString(StandardCharsets.ISO_8859_1), "echo is held, ONLCR still to come");
        in("\u0011");
        assertEquals(false, tty.outputStopped());
        assertEquals("ab\r\n", screen.toString(StandardCharsets.ISO_8859_1));
        assertEquals("ab\n", read(), "^S and ^Q are not input");
    }

    @Test
    void ixanyRestartsOnAnyCharacterAndTcooffOnlyOnTcoon() {
        tty.termios.iflag |= Termios.IXANY;
        in("\u0013x");
        assertEquals(false, tty.outputStopped());
        tty.flow(0);
        in("\u0011y");
        assertEquals(true, tty.outputStopped(), "TCOOFF holds against START and IXANY");
        tty.flow(1);
        assertEquals(false, tty.outputStopped());
        assertThrows(SyscallError.class, () -> tty.flow(7));
    }
}
