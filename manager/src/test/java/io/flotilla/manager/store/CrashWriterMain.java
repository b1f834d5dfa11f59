package io.flotilla.manager.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.ApiObjects;
import io.flotilla.manager.api.Kind;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child process of {@link MvStoreCrashSafetyIT}: writes to the store in {@code args[0]} until it is killed,
 * printing {@code ACK <name>} once the write of {@code <name>} has returned. Every tenth step is a batch of
 * {@value #BATCH_SIZE} creates named {@code <prefix>b<step>-<i>}, acknowledged together after the batch returns.
 */
public final class CrashWriterMain {

    static final int BATCH_SIZE = 20;

    private CrashWriterMain() {
    }

    public static void main(String[] args) {
        Path dataDir = Path.of(args[0]);
        String prefix = args[1];
        PrintStream out = System.out;
        MvStoreStore store = MvStoreStore.open(dataDir);
        out.println("OPEN");
        out.flush();
        for (long step = 0; ; step++) {
            if (step % 10 == 9) {
                List<StoreOp> ops = new ArrayList<>();
                for (int i = 0; i < BATCH_SIZE; i++) {
                    ops.add(StoreOp.create(object(prefix + "b" + step + "-" + i, step)));
                }
                for (ObjectNode created : store.apply(ops)) {
                    out.println("ACK " + ApiObjects.name(created));
                }
            } else {
                ObjectNode created = store.create(object(prefix + "s" + step, step));
                out.println("ACK " + ApiObjects.name(created));
            }
            out.flush();
        }
    }

    private static ObjectNode object(String name, long step) {
        ObjectNode object = ApiObjects.newObject(Kind.BUNDLE_DEPLOYMENT, "cluster-ns", name);
        ObjectNode spec = object.putObject("spec");
        spec.put("deploymentID", "content-" + step + ":options-" + step);
        // a few hundred bytes, like a small BundleDeployment
        spec.putObject("options").put("defaultNamespace", "app-" + step).put("values", "x".repeat(300));
        return object;
    }
}
