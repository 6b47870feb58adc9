package org.jvirtiofs.shell;

import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.jvirtiofs.api.share.ProviderInfo;
import org.jvirtiofs.api.share.ShareManager;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code provider:list}. */
@Component(service = ProviderCommands.class, property = {
    "osgi.command.scope=provider",
    "osgi.command.function=list"})
public final class ProviderCommands {
    private final ShareManager manager;

    /** Commands on the share manager. */
    @Activate
    public ProviderCommands(@Reference(name = "manager") ShareManager manager) {
        this.manager = manager;
    }

    /** provider:list */
    @Descriptor("lists the installed provider types: the bundle registering each, whether it can take over a "
            + "live share (HANDOVER: a swap keeps the guest's open files), and how many shares use it")
    public void list() {
        CommandErrors.run("provider:list", System.err, () -> {
            List<ProviderInfo> providers = manager.providers();
            System.out.print(providers.isEmpty() ? "no providers installed\n" : table(providers));
        });
    }

    /** The providers as provider:list prints them. */
    static String table(List<ProviderInfo> providers) {
        Table t = new Table("TYPE", "BUNDLE", "HANDOVER", "SHARES");
        for (ProviderInfo p : providers) {
            t.row(p.type(), p.bundle(), Table.yesNo(p.handover()), p.shares());
        }
        return t.render();
    }
}
