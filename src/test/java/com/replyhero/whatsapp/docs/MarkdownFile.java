package com.replyhero.whatsapp.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** One Markdown file of the repository: its fenced code blocks, its links and the anchors of its headings. */
record MarkdownFile(Path path, String name, List<String> lines) {

    /** A fenced block: its language and its lines, the first of them at {@code firstLine} (1-based). */
    record CodeBlock(String language, int firstLine, List<String> lines) {}

    /** A link as written, {@code [text](target)}, on its line. */
    record Link(int line, String target) {}

    private static final Pattern FENCE = Pattern.compile("^\\s*```\\s*([\\w-]*).*$");
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*]\\(([^)\\s]+)\\)");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

    static MarkdownFile read(Path root, Path path) {
        try {
            return new MarkdownFile(
                    path, root.relativize(path).toString().replace('\\', '/'), Files.readAllLines(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The Markdown files a reader of the repository meets: README.md first, then every other one in path order
     * (build output and hidden directories left out).
     */
    static List<MarkdownFile> all(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> !isBuildOutputOrHidden(root.relativize(p)))
                    .sorted((a, b) -> {
                        boolean aReadme = root.resolve("README.md").equals(a);
                        boolean bReadme = root.resolve("README.md").equals(b);
                        return aReadme == bReadme ? a.compareTo(b) : aReadme ? -1 : 1;
                    })
                    .map(p -> read(root, p))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isBuildOutputOrHidden(Path relative) {
        for (Path part : relative) {
            String name = part.toString();
            if (name.equals("target") || name.equals("node_modules") || name.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    List<CodeBlock> blocks(String language) {
        List<CodeBlock> blocks = new ArrayList<>();
        String open = null;
        int first = 0;
        List<String> body = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher fence = FENCE.matcher(lines.get(i));
            if (!fence.matches()) {
                if (open != null) {
                    body.add(lines.get(i));
                }
                continue;
            }
            if (open == null) {
                open = fence.group(1).toLowerCase(Locale.ROOT);
                first = i + 2;
                body = new ArrayList<>();
            } else {
                if (open.equals(language)) {
                    blocks.add(new CodeBlock(open, first, List.copyOf(body)));
                }
                open = null;
            }
        }
        return blocks;
    }

    /** Links outside code: in fenced blocks and in `inline code` a bracket is not a link. */
    List<Link> links() {
        List<Link> links = new ArrayList<>();
        boolean inBlock = false;
        for (int i = 0; i < lines.size(); i++) {
            if (FENCE.matcher(lines.get(i)).matches()) {
                inBlock = !inBlock;
                continue;
            }
            if (inBlock) {
                continue;
            }
            Matcher link = LINK.matcher(INLINE_CODE.matcher(lines.get(i)).replaceAll(""));
            while (link.find()) {
                links.add(new Link(i + 1, link.group(1)));
            }
        }
        return links;
    }

    /** The anchors GitHub gives this file's headings: lower case, punctuation dropped, spaces as hyphens. */
    Set<String> anchors() {
        Set<String> anchors = new LinkedHashSet<>();
        boolean inBlock = false;
        for (String line : lines) {
            if (FENCE.matcher(line).matches()) {
                inBlock = !inBlock;
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (inBlock || !heading.matches()) {
                continue;
            }
            String slug = heading.group(1)
                    .toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N} _-]", "")
                    .replace(' ', '-');
            String unique = slug;
            for (int n = 1; anchors.contains(unique); n++) {
                unique = slug + "-" + n;
            }
            anchors.add(unique);
        }
        return anchors;
    }
}
