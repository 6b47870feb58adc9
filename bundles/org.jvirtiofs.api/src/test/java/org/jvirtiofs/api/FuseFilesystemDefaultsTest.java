package org.jvirtiofs.api;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FuseFilesystemDefaultsTest {
    // Operations whose default does nothing rather than reply ENOSYS, as documented; handover
    // is not a FUSE operation and refuses with EOPNOTSUPP (checked below).
    private static final Set<String> NO_OP_DEFAULTS =
            Set.of("init", "destroy", "close", "forget", "batchForget", "handover");

    private final FuseFilesystem empty = new FuseFilesystem() {
    };

    @Test
    void everyUnimplementedOperationRepliesEnosys() throws Exception {
        int checked = 0;
        for (Method m : FuseFilesystem.class.getMethods()) {
            if (NO_OP_DEFAULTS.contains(m.getName())) {
                continue;
            }
            assertTrue(m.isDefault(), m.getName() + " has no default");
            try {
                m.invoke(empty, arguments(m));
                fail(m.getName() + " returned instead of throwing ENOSYS");
            } catch (InvocationTargetException e) {
                FsException fs = assertInstanceOf(FsException.class, e.getCause(), m.getName());
                assertEquals(Errno.ENOSYS, fs.errno(), m.getName());
            }
            checked++;
        }
        // Guards against the reflection silently finding nothing.
        assertTrue(checked >= 35, "only " + checked + " operations found");
    }

    @Test
    void handoverAndTakeOverAreRefusedWithEopnotsuppByDefault() {
        assertEquals(Errno.EOPNOTSUPP, assertThrows(FsException.class, empty::handover).errno());
        FilesystemFactory factory = new FilesystemFactory() {
            @Override
            public String type() {
                return "plain";
            }

            @Override
            public FuseFilesystem create(java.util.Map<String, ?> options) {
                return empty;
            }
        };
        FsException e = assertThrows(FsException.class,
                () -> factory.takeOver(java.util.Map.of(), Handover.empty("other")));
        assertEquals(Errno.EOPNOTSUPP, e.errno());
        assertTrue(e.getMessage().contains("plain cannot take over"), e.getMessage());
    }

    @Test
    void aHandoverClosesItsResourcesOnceAndKnowsItsHighestIds() {
        int[] closed = {0};
        Handover h = new Handover("t", List.of(new Handover.Node(7, 1, 2, 0100000, null, -1)),
                List.of(new Handover.Handle(9, 7, false, 0, -1, Set.of())), List.of(), () -> closed[0]++);
        assertEquals(7, h.maxNodeId());
        assertEquals(9, h.maxHandle());
        assertEquals(FuseFilesystem.FUSE_ROOT_ID, Handover.empty("t").maxNodeId());
        h.close();
        h.close();
        assertEquals(1, closed[0]);
    }

    @Test
    void lifecycleAndForgetDefaultsDoNothing() throws Exception {
        assertEquals(Set.of(), empty.init(EnumSet.allOf(FsCapability.class)));
        empty.forget(Context.KERNEL, 7, 1);
        empty.batchForget(Context.KERNEL, List.of(new ForgetOne(7, 1)));
        empty.destroy();
        empty.close();
    }

    @Test
    void batchForgetDefaultsToForgettingEachNode() {
        List<ForgetOne> seen = new ArrayList<>();
        FuseFilesystem fs = new FuseFilesystem() {
            @Override
            public void forget(Context ctx, long nodeId, long nlookup) {
                seen.add(new ForgetOne(nodeId, nlookup));
            }
        };
        List<ForgetOne> batch = List.of(new ForgetOne(2, 3), new ForgetOne(5, 1));
        fs.batchForget(Context.KERNEL, batch);
        assertEquals(batch, seen);
    }

    @Test
    void everyOperationTakesTheContextFirst() {
        for (Method m : FuseFilesystem.class.getMethods()) {
            if (Set.of("init", "destroy", "close", "handover").contains(m.getName())) {
                continue;
            }
            assertEquals(Context.class, m.getParameterTypes()[0], m.getName());
        }
    }

    private static Object[] arguments(Method m) {
        Class<?>[] types = m.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            args[i] = zero(types[i]);
        }
        return args;
    }

    private static Object zero(Class<?> type) {
        if (type == long.class) {
            return 0L;
        } else if (type == int.class) {
            return 0;
        } else if (type == boolean.class) {
            return false;
        } else if (type == Context.class) {
            return Context.KERNEL;
        }
        return null; // defaults must fail before touching their arguments
    }
}
