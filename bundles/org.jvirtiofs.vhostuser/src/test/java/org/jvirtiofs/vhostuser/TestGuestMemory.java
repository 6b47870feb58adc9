package org.jvirtiofs.vhostuser;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.MappedRegion;
import org.jvirtiofs.posix.MemFlags;
import org.jvirtiofs.posix.Memory;
import org.jvirtiofs.posix.PosixException;

/** The test frontend's "guest RAM": a memfd region at a guest-physical and a fake QEMU user address. */
final class TestGuestMemory implements AutoCloseable {
    static final VarHandle U16 = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    final long gpa;
    final long size;
    final long uaddr;
    final int fd;
    private final MappedRegion mapping;
    final ByteBuffer ram;

    TestGuestMemory(long gpa, long size, long uaddr) throws PosixException {
        this.gpa = gpa;
        this.size = size;
        this.uaddr = uaddr;
        this.fd = Memory.memfdCreate("test-guest-ram", MemFlags.MFD_CLOEXEC);
        Io.ftruncate(fd, size);
        this.mapping = Memory.mmap(size, MemFlags.PROT_READ | MemFlags.PROT_WRITE, MemFlags.MAP_SHARED, fd, 0);
        this.ram = mapping.windows().get(0);
    }

    boolean contains(long address) {
        return address >= gpa && address < gpa + size;
    }

    int at(long address) {
        if (!contains(address)) {
            throw new IllegalArgumentException("gpa 0x" + Long.toHexString(address) + " outside test memory");
        }
        return (int) (address - gpa);
    }

    long uaddrOf(long address) {
        return uaddr + (address - gpa);
    }

    void put(long address, byte[] bytes) {
        ram.put(at(address), bytes);
    }

    byte[] get(long address, int length) {
        byte[] bytes = new byte[length];
        ram.get(at(address), bytes);
        return bytes;
    }

    @Override
    public void close() throws PosixException {
        Memory.munmap(mapping);
        Io.close(fd);
    }
}
