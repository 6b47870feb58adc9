package org.jvirtiofs.vhostuser.internal;

/** Wire constants of the vhost-user protocol, named as QEMU's docs/interop/vhost-user.rst names them. */
public final class VhostUser {
    /** Header: u32 request, u32 flags, u32 size. */
    public static final int HEADER_SIZE = 12;
    /** Larger payloads are garbage: the biggest message we accept (SET_MEM_TABLE) has 264 bytes. */
    public static final int MAX_PAYLOAD_SIZE = 4096;
    /** SCM_RIGHTS descriptors one message may carry (VHOST_MEMORY_BASELINE_NREGIONS). */
    public static final int MAX_FDS = 8;

    public static final int VHOST_USER_VERSION = 0x1;
    public static final int VHOST_USER_VERSION_MASK = 0x3;
    public static final int VHOST_USER_REPLY_MASK = 0x1 << 2;
    public static final int VHOST_USER_NEED_REPLY_MASK = 0x1 << 3;
    /** QEMU accepts replies only with exactly these flags. */
    public static final int REPLY_FLAGS = VHOST_USER_VERSION | VHOST_USER_REPLY_MASK;

    public static final int VHOST_USER_GET_FEATURES = 1;
    public static final int VHOST_USER_SET_FEATURES = 2;
    public static final int VHOST_USER_SET_OWNER = 3;
    public static final int VHOST_USER_RESET_OWNER = 4;
    public static final int VHOST_USER_SET_MEM_TABLE = 5;
    public static final int VHOST_USER_SET_LOG_BASE = 6;
    public static final int VHOST_USER_SET_LOG_FD = 7;
    public static final int VHOST_USER_SET_VRING_NUM = 8;
    public static final int VHOST_USER_SET_VRING_ADDR = 9;
    public static final int VHOST_USER_SET_VRING_BASE = 10;
    public static final int VHOST_USER_GET_VRING_BASE = 11;
    public static final int VHOST_USER_SET_VRING_KICK = 12;
    public static final int VHOST_USER_SET_VRING_CALL = 13;
    public static final int VHOST_USER_SET_VRING_ERR = 14;
    public static final int VHOST_USER_GET_PROTOCOL_FEATURES = 15;
    public static final int VHOST_USER_SET_PROTOCOL_FEATURES = 16;
    public static final int VHOST_USER_GET_QUEUE_NUM = 17;
    public static final int VHOST_USER_SET_VRING_ENABLE = 18;
    public static final int VHOST_USER_SET_SLAVE_REQ_FD = 21;
    public static final int VHOST_USER_GET_CONFIG = 24;
    public static final int VHOST_USER_SET_CONFIG = 25;
    public static final int VHOST_USER_RESET_DEVICE = 34;
    public static final int VHOST_USER_GET_MAX_MEM_SLOTS = 36;
    public static final int VHOST_USER_ADD_MEM_REG = 37;
    public static final int VHOST_USER_REM_MEM_REG = 38;
    public static final int VHOST_USER_SET_STATUS = 39;
    public static final int VHOST_USER_GET_STATUS = 40;

    /** Low byte of the SET_VRING_KICK/CALL/ERR u64: the queue index. */
    public static final long VHOST_USER_VRING_IDX_MASK = 0xff;
    /** Bit 8 of the SET_VRING_KICK/CALL/ERR u64: no fd came with the message. */
    public static final long VHOST_USER_VRING_NOFD_MASK = 0x1L << 8;

    // Virtio feature bits (bit numbers).
    public static final int VIRTIO_RING_F_INDIRECT_DESC = 28;
    public static final int VIRTIO_RING_F_EVENT_IDX = 29;
    public static final int VHOST_USER_F_PROTOCOL_FEATURES = 30;
    public static final int VIRTIO_F_VERSION_1 = 32;

    /** A split ring's descriptor flags (virtio 1.1 §2.6.5), and a descriptor's size. */
    public static final int VIRTQ_DESC_F_NEXT = 1;
    public static final int VIRTQ_DESC_F_WRITE = 2;
    public static final int VIRTQ_DESC_F_INDIRECT = 4;
    public static final int VIRTQ_DESC_SIZE = 16;

    // Protocol feature bits (bit numbers). CONFIG (9) is never offered: QEMU 7.1-8.0 crash on it for vhost-user-fs.
    public static final int VHOST_USER_PROTOCOL_F_MQ = 0;
    public static final int VHOST_USER_PROTOCOL_F_REPLY_ACK = 3;
    public static final int VHOST_USER_PROTOCOL_F_CONFIG = 9;
    public static final int VHOST_USER_PROTOCOL_F_CONFIGURE_MEM_SLOTS = 15;

    /** The virtio features this backend offers: split rings with indirect descriptors and event-idx. */
    public static final long OFFERED_FEATURES = 1L << VIRTIO_F_VERSION_1 | 1L << VIRTIO_RING_F_INDIRECT_DESC
            | 1L << VIRTIO_RING_F_EVENT_IDX | 1L << VHOST_USER_F_PROTOCOL_FEATURES;
    /** The protocol features this backend offers. */
    public static final long OFFERED_PROTOCOL_FEATURES = 1L << VHOST_USER_PROTOCOL_F_MQ
            | 1L << VHOST_USER_PROTOCOL_F_REPLY_ACK | 1L << VHOST_USER_PROTOCOL_F_CONFIGURE_MEM_SLOTS;

    private VhostUser() {
    }

    /** The spec's name of a request code, for logs. */
    public static String name(int request) {
        return switch (request) {
            case VHOST_USER_GET_FEATURES -> "GET_FEATURES";
            case VHOST_USER_SET_FEATURES -> "SET_FEATURES";
            case VHOST_USER_SET_OWNER -> "SET_OWNER";
            case VHOST_USER_RESET_OWNER -> "RESET_OWNER";
            case VHOST_USER_SET_MEM_TABLE -> "SET_MEM_TABLE";
            case VHOST_USER_SET_LOG_BASE -> "SET_LOG_BASE";
            case VHOST_USER_SET_LOG_FD -> "SET_LOG_FD";
            case VHOST_USER_SET_VRING_NUM -> "SET_VRING_NUM";
            case VHOST_USER_SET_VRING_ADDR -> "SET_VRING_ADDR";
            case VHOST_USER_SET_VRING_BASE -> "SET_VRING_BASE";
            case VHOST_USER_GET_VRING_BASE -> "GET_VRING_BASE";
            case VHOST_USER_SET_VRING_KICK -> "SET_VRING_KICK";
            case VHOST_USER_SET_VRING_CALL -> "SET_VRING_CALL";
            case VHOST_USER_SET_VRING_ERR -> "SET_VRING_ERR";
            case VHOST_USER_GET_PROTOCOL_FEATURES -> "GET_PROTOCOL_FEATURES";
            case VHOST_USER_SET_PROTOCOL_FEATURES -> "SET_PROTOCOL_FEATURES";
            case VHOST_USER_GET_QUEUE_NUM -> "GET_QUEUE_NUM";
            case VHOST_USER_SET_VRING_ENABLE -> "SET_VRING_ENABLE";
            case VHOST_USER_SET_SLAVE_REQ_FD -> "SET_SLAVE_REQ_FD";
            case VHOST_USER_GET_CONFIG -> "GET_CONFIG";
            case VHOST_USER_SET_CONFIG -> "SET_CONFIG";
            case VHOST_USER_RESET_DEVICE -> "RESET_DEVICE";
            case VHOST_USER_GET_MAX_MEM_SLOTS -> "GET_MAX_MEM_SLOTS";
            case VHOST_USER_ADD_MEM_REG -> "ADD_MEM_REG";
            case VHOST_USER_REM_MEM_REG -> "REM_MEM_REG";
            case VHOST_USER_SET_STATUS -> "SET_STATUS";
            case VHOST_USER_GET_STATUS -> "GET_STATUS";
            default -> "request " + Integer.toUnsignedString(request);
        };
    }
}
