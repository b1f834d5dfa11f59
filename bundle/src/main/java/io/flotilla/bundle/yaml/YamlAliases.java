package io.flotilla.bundle.yaml;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Resolves YAML anchors, aliases and merge keys ({@code <<: *base}) into plain YAML text, as Go's YAML decoder (and
 * so Fleet) resolves them; Jackson's YAML parser would read an alias as a string holding its name.
 *
 * <p>Text without aliases is returned unchanged, so line numbers in later error messages stay those of the file.
 * Expansion is bounded: a document whose aliases expand to more than {@code maxNodes} nodes (a "billion laughs"
 * document) is refused with {@link TooLarge}. Pure: no I/O.
 */
public final class YamlAliases {

    /** Enough for any real fleet.yaml or values file; a billion-laughs document reaches it in microseconds. */
    public static final int DEFAULT_MAX_NODES = 100_000;

    private YamlAliases() {
    }

    /** The document could not be expanded; the message says why and is meant for users. */
    public static class AliasException extends Exception {
        private final int line;

        AliasException(String message, int line) {
            super(message, null, false, false);
            this.line = line;
        }

        /** 1-based line of the problem, or 0 when unknown. */
        public int line() {
            return line;
        }
    }

    /** The aliases expand to more nodes than allowed. */
    public static final class TooLarge extends AliasException {
        TooLarge(String message) {
            super(message, 0);
        }
    }

    public static String resolve(String content) throws AliasException {
        return resolve(content, DEFAULT_MAX_NODES);
    }

    /** Each YAML document of {@code content} with aliases expanded; {@code content} itself when it has none. */
    public static String resolve(String content, int maxNodes) throws AliasException {
        if (!content.contains("*") && !content.contains("<<")) {
            return content;
        }
        Yaml yaml = new Yaml(loaderOptions());
        try {
            boolean aliases = false;
            boolean merges = content.contains("<<");
            for (Event e : yaml.parse(new StringReader(content))) {
                if (e instanceof AliasEvent) {
                    aliases = true;
                    break;
                }
            }
            if (!aliases && !merges) {
                return content;
            }
            int[] budget = {maxNodes};
            List<Node> documents = new ArrayList<>();
            for (Node document : yaml.composeAll(new StringReader(content))) {
                documents.add(document == null ? null : expand(document, budget, maxNodes));
            }
            if (documents.size() == 1 && documents.get(0) == null) {
                return content;
            }
            StringWriter out = new StringWriter();
            Yaml writer = new Yaml(dumperOptions());
            for (int i = 0; i < documents.size(); i++) {
                if (i > 0) {
                    out.write("---\n");
                }
                if (documents.get(i) != null) {
                    writer.serialize(documents.get(i), out);
                }
            }
            return out.toString();
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new AliasException(e.getProblem() == null ? e.getMessage() : e.getProblem(), line);
        } catch (YAMLException e) {
            throw new AliasException(e.getMessage(), 0);
        }
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        // SnakeYAML's own guard counts aliases, not what they expand to; the node budget below is the real bound
        options.setMaxAliasesForCollections(10_000);
        options.setAllowDuplicateKeys(true); // duplicate keys are reported by the strict reader that follows
        return options;
    }

    private static DumperOptions dumperOptions() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setWidth(Integer.MAX_VALUE);
        options.setSplitLines(false);
        options.setExplicitStart(false);
        return options;
    }

    /** A tree copy of {@code node} (shared alias targets copied per use), merge keys applied. */
    private static Node expand(Node node, int[] budget, int maxNodes) throws AliasException {
        if (--budget[0] < 0) {
            throw new TooLarge("YAML aliases expand to more than " + maxNodes
                    + " nodes; refusing the document (is it a \"billion laughs\" document?): use fewer aliases");
        }
        if (node instanceof ScalarNode s) {
            return new ScalarNode(s.getTag(), s.getValue(), s.getStartMark(), s.getEndMark(), s.getScalarStyle());
        }
        if (node instanceof SequenceNode seq) {
            List<Node> items = new ArrayList<>(seq.getValue().size());
            for (Node item : seq.getValue()) {
                items.add(expand(item, budget, maxNodes));
            }
            return new SequenceNode(seq.getTag(), items, seq.getFlowStyle());
        }
        MappingNode map = (MappingNode) node;
        // merged entries first, earlier sources winning; the mapping's own keys override them (YAML merge key spec)
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        List<NodeTuple> own = new ArrayList<>();
        for (NodeTuple t : map.getValue()) {
            if (isMergeKey(t.getKeyNode())) {
                Node source = t.getValueNode();
                List<Node> sources = source instanceof SequenceNode s ? s.getValue() : List.of(source);
                for (Node src : sources) {
                    if (!(src instanceof MappingNode m)) {
                        throw new AliasException("the merge key << must be followed by a mapping or a list of "
                                + "mappings", t.getKeyNode().getStartMark().getLine() + 1);
                    }
                    MappingNode merged = (MappingNode) expand(m, budget, maxNodes);
                    for (NodeTuple mt : merged.getValue()) {
                        entries.putIfAbsent(keyOf(mt.getKeyNode()), mt);
                    }
                }
            } else {
                own.add(t);
            }
        }
        for (NodeTuple t : own) {
            String key = keyOf(t.getKeyNode());
            entries.remove(key);
            entries.put(key, new NodeTuple(expand(t.getKeyNode(), budget, maxNodes),
                    expand(t.getValueNode(), budget, maxNodes)));
        }
        return new MappingNode(map.getTag(), new ArrayList<>(entries.values()), map.getFlowStyle());
    }

    private static boolean isMergeKey(Node key) {
        return key instanceof ScalarNode s && (Tag.MERGE.equals(s.getTag()) || "<<".equals(s.getValue())
                && s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN);
    }

    /** Scalar keys by value; other keys (rare in configuration) by identity, so they are never merged away. */
    private static String keyOf(Node key) {
        return key instanceof ScalarNode s ? "s:" + s.getTag() + ":" + s.getValue()
                : "n:" + System.identityHashCode(key);
    }
}
