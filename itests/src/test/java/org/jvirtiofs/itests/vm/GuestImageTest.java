package org.jvirtiofs.itests.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The guests boot the kernel build-guest unpacked from Debian's bzImage, an ELF QEMU enters
 * through its PVH entry: under TCG the bzImage's own decompressor took 6 s of every boot. If the
 * unpacking broke, build-guest would fall back to the bzImage and every guest test would still
 * pass, only slower; this test is what notices.
 */
class GuestImageTest {
    @Test
    void theGuestsBootTheUnpackedElfKernelAndBootLoadersGetTheBzImage() throws Exception {
        GuestImage image = GuestImage.withScriptText("true\n");
        assertNotEquals(image.vmlinuz(), image.kernel(), "kernel= is the bzImage: build-guest did not unpack it");
        assertArrayEquals(new byte[] {0x7f, 'E', 'L', 'F'}, head(image.kernel(), 0, 4), image.kernel() + " is no ELF");
        // the boot protocol's header magic, which SYSLINUX (build-disk) needs
        assertEquals("HdrS", new String(head(image.vmlinuz(), 0x202, 4), StandardCharsets.US_ASCII),
                image.vmlinuz() + " is no bzImage");
    }

    private static byte[] head(Path file, long offset, int length) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(offset);
            return Arrays.copyOf(in.readNBytes(length), length);
        }
    }
}
