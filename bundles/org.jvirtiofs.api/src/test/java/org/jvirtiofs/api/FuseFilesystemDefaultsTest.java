package org.jvirtiofs.api;

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
    // Operations whose default does nothing rather than reply ENOSYS, as documented.
    private static final Set<String> NO_OP_DEFAULTS =
            Set.of("init", "destroy", "close", "forget", "batchForget");

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
            if (Set.of("init", "destroy", "close").contains(m.getName())) {
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
