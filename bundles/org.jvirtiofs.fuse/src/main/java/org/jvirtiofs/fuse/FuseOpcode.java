package org.jvirtiofs.fuse;

/** The FUSE opcodes ({@code enum fuse_opcode}) under their C names, and their names for logs. */
public final class FuseOpcode {
    public static final int FUSE_LOOKUP = 1;
    public static final int FUSE_FORGET = 2;
    public static final int FUSE_GETATTR = 3;
    public static final int FUSE_SETATTR = 4;
    public static final int FUSE_READLINK = 5;
    public static final int FUSE_SYMLINK = 6;
    public static final int FUSE_MKNOD = 8;
    public static final int FUSE_MKDIR = 9;
    public static final int FUSE_UNLINK = 10;
    public static final int FUSE_RMDIR = 11;
    public static final int FUSE_RENAME = 12;
    public static final int FUSE_LINK = 13;
    public static final int FUSE_OPEN = 14;
    public static final int FUSE_READ = 15;
    public static final int FUSE_WRITE = 16;
    public static final int FUSE_STATFS = 17;
    public static final int FUSE_RELEASE = 18;
    public static final int FUSE_FSYNC = 20;
    public static final int FUSE_SETXATTR = 21;
    public static final int FUSE_GETXATTR = 22;
    public static final int FUSE_LISTXATTR = 23;
    public static final int FUSE_REMOVEXATTR = 24;
    public static final int FUSE_FLUSH = 25;
    public static final int FUSE_INIT = 26;
    public static final int FUSE_OPENDIR = 27;
    public static final int FUSE_READDIR = 28;
    public static final int FUSE_RELEASEDIR = 29;
    public static final int FUSE_FSYNCDIR = 30;
    public static final int FUSE_GETLK = 31;
    public static final int FUSE_SETLK = 32;
    public static final int FUSE_SETLKW = 33;
    public static final int FUSE_ACCESS = 34;
    public static final int FUSE_CREATE = 35;
    public static final int FUSE_INTERRUPT = 36;
    public static final int FUSE_BMAP = 37;
    public static final int FUSE_DESTROY = 38;
    public static final int FUSE_IOCTL = 39;
    public static final int FUSE_POLL = 40;
    public static final int FUSE_NOTIFY_REPLY = 41;
    public static final int FUSE_BATCH_FORGET = 42;
    public static final int FUSE_FALLOCATE = 43;
    public static final int FUSE_READDIRPLUS = 44;
    public static final int FUSE_RENAME2 = 45;
    public static final int FUSE_LSEEK = 46;
    public static final int FUSE_COPY_FILE_RANGE = 47;
    public static final int FUSE_SETUPMAPPING = 48;
    public static final int FUSE_REMOVEMAPPING = 49;
    public static final int FUSE_SYNCFS = 50;
    public static final int FUSE_TMPFILE = 51;

    private static final String[] NAMES = new String[52];

    static {
        String[] n = NAMES;
        n[1] = "LOOKUP"; n[2] = "FORGET"; n[3] = "GETATTR"; n[4] = "SETATTR"; n[5] = "READLINK";
        n[6] = "SYMLINK"; n[8] = "MKNOD"; n[9] = "MKDIR"; n[10] = "UNLINK"; n[11] = "RMDIR";
        n[12] = "RENAME"; n[13] = "LINK"; n[14] = "OPEN"; n[15] = "READ"; n[16] = "WRITE";
        n[17] = "STATFS"; n[18] = "RELEASE"; n[20] = "FSYNC"; n[21] = "SETXATTR";
        n[22] = "GETXATTR"; n[23] = "LISTXATTR"; n[24] = "REMOVEXATTR"; n[25] = "FLUSH";
        n[26] = "INIT"; n[27] = "OPENDIR"; n[28] = "READDIR"; n[29] = "RELEASEDIR";
        n[30] = "FSYNCDIR"; n[31] = "GETLK"; n[32] = "SETLK"; n[33] = "SETLKW"; n[34] = "ACCESS";
        n[35] = "CREATE"; n[36] = "INTERRUPT"; n[37] = "BMAP"; n[38] = "DESTROY"; n[39] = "IOCTL";
        n[40] = "POLL"; n[41] = "NOTIFY_REPLY"; n[42] = "BATCH_FORGET"; n[43] = "FALLOCATE";
        n[44] = "READDIRPLUS"; n[45] = "RENAME2"; n[46] = "LSEEK"; n[47] = "COPY_FILE_RANGE";
        n[48] = "SETUPMAPPING"; n[49] = "REMOVEMAPPING"; n[50] = "SYNCFS"; n[51] = "TMPFILE";
    }

    private FuseOpcode() {
    }

    /** The opcode's name without the FUSE_ prefix, e.g. "LOOKUP", or "OPCODE_n" if unknown. */
    public static String name(int opcode) {
        if (opcode >= 0 && opcode < NAMES.length && NAMES[opcode] != null) {
            return NAMES[opcode];
        }
        return "OPCODE_" + Integer.toUnsignedString(opcode);
    }

    /**
     * Whether the kernel expects no reply to this opcode: FORGET, BATCH_FORGET, INTERRUPT (whose
     * answer is the interrupted request's own reply) and NOTIFY_REPLY (itself a reply).
     */
    public static boolean isNoReply(int opcode) {
        return opcode == FUSE_FORGET || opcode == FUSE_BATCH_FORGET || opcode == FUSE_INTERRUPT
                || opcode == FUSE_NOTIFY_REPLY;
    }
}
