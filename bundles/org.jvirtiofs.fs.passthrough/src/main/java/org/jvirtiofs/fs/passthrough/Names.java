package org.jvirtiofs.fs.passthrough;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.FsException;

/**
 * Guest names and link targets as the strings the native layer takes.
 *
 * <p>The native API passes paths as UTF-8 strings, so bytes that are not UTF-8 would be replaced
 * on the way and could name a different file: such names are refused with EILSEQ instead.
 */
final class Names {
    private Names() {
    }

    /** A name to create, remove or rename: never "." or "..". */
    static String component(FileName name) throws FsException {
        if (name.isDotOrDotDot()) {
            throw FsException.of(Errno.EINVAL);
        }
        return text(name.toByteArray());
    }

    /** Any name, "." and ".." included. */
    static String anyName(FileName name) throws FsException {
        return text(name.toByteArray());
    }

    /** Exact UTF-8 text of {@code bytes}, or EILSEQ. */
    static String text(byte[] bytes) throws FsException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw FsException.of(Errno.EILSEQ);
        }
    }

    /** The path of our own fd through /proc, for calls that have no fd form. */
    static String procFd(int fd) {
        return "/proc/self/fd/" + fd;
    }
}
