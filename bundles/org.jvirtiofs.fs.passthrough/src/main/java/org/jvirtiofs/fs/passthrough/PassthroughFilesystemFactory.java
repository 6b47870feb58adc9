package org.jvirtiofs.fs.passthrough;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.Map;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FilesystemFactory;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.api.Handover;
import org.jvirtiofs.posix.ThisProcess;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code passthrough} provider: one {@link PassthroughFilesystem} per share, serving the
 * host directory named by the {@code source} option ({@link PassthroughOptions} lists the rest).
 */
@Component(service = FilesystemFactory.class,
        property = FilesystemFactory.TYPE_PROPERTY + "=" + PassthroughFilesystemFactory.TYPE)
public final class PassthroughFilesystemFactory implements FilesystemFactory {
    /** The provider type, as shares name it: {@code provider=passthrough}. */
    public static final String TYPE = "passthrough";

    private static final Logger LOG = LoggerFactory.getLogger(PassthroughFilesystemFactory.class);

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * @throws IllegalArgumentException naming the option and value if one is malformed
     * @throws FsException ENOENT or ENOTDIR if the source is not an existing directory
     */
    @Override
    public FuseFilesystem create(Map<String, ?> options) throws FsException {
        PassthroughOptions o = PassthroughOptions.parse(options);
        if (!Files.exists(o.source(), LinkOption.NOFOLLOW_LINKS) && !Files.exists(o.source())) {
            throw FsException.of(Errno.ENOENT, "source " + o.source() + " does not exist");
        }
        if (!Files.isDirectory(o.source())) {
            throw FsException.of(Errno.ENOTDIR, "source " + o.source() + " is not a directory");
        }
        LOG.info("passthrough of {}: cache {}, writeback {}, readonly {}, xattr {}, "
                + "inode-file-handles {}, announce-submounts {}, posix-locks {}, flock {}{}{}{}{}", o.source(),
                o.cache().optionValue(), o.writeback(), o.readonly(), o.xattr(),
                o.inodeFileHandles().optionValue(), o.announceSubmounts(), o.posixLocks(), o.flock(),
                // what differs from the defaults' way, when it does
                o.directWrite() ? ", direct-write true" : "", o.allowMmap() ? ", allow-mmap true" : "",
                o.listsPlus() ? "" : ", readdirplus off" + (o.readdirplus() ? " (cache never)" : ""),
                // each inode the guest holds keeps a descriptor: say how many it can hold
                o.inodeFileHandles() == InodeFileHandles.NEVER
                        ? ", open-files limit " + ThisProcess.openFilesLimit() + " (about as many files as a guest can hold)"
                        : "");
        return new PassthroughFilesystem(o);
    }

    /** A passthrough share taking over a live one: every handed-over node and handle keeps its id. */
    @Override
    public FuseFilesystem takeOver(Map<String, ?> options, Handover from) throws FsException {
        PassthroughFilesystem fs = (PassthroughFilesystem) create(options);
        try {
            fs.takeOver(from);
            return fs;
        } catch (FsException | RuntimeException e) {
            fs.close();
            throw e;
        }
    }
}
