package com.replyhero.whatsapp.docs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One command of a {@code bash} block, split into words as bash splits it (quotes, backslash-newline
 * continuations, comments), with the environment assignments written before it and the comment that follows it.
 */
record ShellCommand(String doc, int line, Map<String, String> env, List<String> words, String note, String text) {

    private static final Pattern ASSIGNMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(.*)", Pattern.DOTALL);
    private static final Pattern EXPECTED_STATUS = Pattern.compile("→\\s*(\\d{3})\\b");

    /** Where the command is written, for failure messages: {@code docs/api.md:42}. */
    String where() {
        return doc + ":" + line;
    }

    String program() {
        return words.isEmpty() ? "" : words.getFirst();
    }

    List<String> arguments() {
        return words.subList(1, words.size());
    }

    /** The status a doc names for the command's answer ({@code # → 403 ...}), or 0 when it shows success. */
    int expectedStatus() {
        Matcher status = EXPECTED_STATUS.matcher(note);
        return status.find() ? Integer.parseInt(status.group(1)) : 0;
    }

    /** The commands of one block. A {@code $} expansion, a pipe or a command list is refused: the test runs words. */
    static List<ShellCommand> parse(String doc, MarkdownFile.CodeBlock block) {
        List<ShellCommand> commands = new ArrayList<>();
        Parser parser = new Parser(doc);
        List<String> lines = block.lines();
        for (int i = 0; i < lines.size(); i++) {
            parser.line(lines.get(i), block.firstLine() + i);
        }
        parser.end();
        for (Parser.Pending pending : parser.commands) {
            Map<String, String> env = new LinkedHashMap<>();
            List<String> words = new ArrayList<>(pending.words);
            while (!words.isEmpty() && ASSIGNMENT.matcher(words.getFirst()).matches()) {
                Matcher assignment = ASSIGNMENT.matcher(words.removeFirst());
                assignment.matches();
                env.put(assignment.group(1), assignment.group(2));
            }
            commands.add(new ShellCommand(
                    doc,
                    pending.firstLine,
                    env,
                    List.copyOf(words),
                    parser.noteFor(pending),
                    String.join(
                            "\n",
                            lines.subList(
                                    pending.firstLine - block.firstLine(), pending.lastLine - block.firstLine() + 1))));
        }
        return commands;
    }

    private static final class Parser {

        record Pending(int firstLine, int lastLine, List<String> words) {}

        private final String doc;
        private final List<Pending> commands = new ArrayList<>();
        private final Map<Integer, String> comments = new LinkedHashMap<>();
        private List<String> words = new ArrayList<>();
        private StringBuilder word;
        private char quote;
        private int commandStart = -1;
        private int lineNumber;

        Parser(String doc) {
            this.doc = doc;
        }

        void line(String line, int number) {
            lineNumber = number;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quote == '\'') {
                    if (c == '\'') {
                        quote = 0;
                    } else {
                        word.append(c);
                    }
                } else if (quote == '"') {
                    if (c == '"') {
                        quote = 0;
                    } else if (c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                        word.append(line.charAt(++i));
                    } else if (c == '$' || c == '`') {
                        throw refused(
                                "a $ or ` expansion in double quotes: write a placeholder such as REPLYHERO_API_KEY");
                    } else {
                        word.append(c);
                    }
                } else if (c == '\\') {
                    if (i == line.length() - 1) {
                        return; // continuation: the command goes on on the next line
                    }
                    start().append(line.charAt(++i));
                } else if (c == '\'' || c == '"') {
                    start();
                    quote = c;
                } else if (Character.isWhitespace(c)) {
                    finishWord();
                } else if (c == '#' && word == null) {
                    comments.put(lineNumber, line.substring(i + 1).strip());
                    break;
                } else if ("|;&<>()$`".indexOf(c) >= 0) {
                    throw refused(
                            "'" + c + "' (pipes, lists, redirections and expansions are not run by the docs test)");
                } else {
                    start().append(c);
                }
            }
            if (quote != 0) {
                if (word != null) {
                    word.append('\n'); // a quoted string goes on on the next line, as the seed's --data '{ ... }'
                }
                return;
            }
            finishWord();
            finishCommand();
        }

        void end() {
            if (quote != 0) {
                throw refused("a quote that is never closed");
            }
        }

        String noteFor(Pending command) {
            String sameLine = comments.get(command.lastLine);
            if (sameLine != null) {
                return sameLine;
            }
            String nextLine = comments.get(command.lastLine + 1);
            return nextLine == null ? "" : nextLine;
        }

        private StringBuilder start() {
            if (word == null) {
                word = new StringBuilder();
                if (commandStart < 0) {
                    commandStart = lineNumber;
                }
            }
            return word;
        }

        private void finishWord() {
            if (word != null) {
                words.add(word.toString());
                word = null;
            }
        }

        private void finishCommand() {
            if (!words.isEmpty()) {
                commands.add(new Pending(commandStart, lineNumber, List.copyOf(words)));
            }
            words = new ArrayList<>();
            commandStart = -1;
        }

        private IllegalArgumentException refused(String what) {
            return new IllegalArgumentException(doc + ":" + lineNumber + ": " + what);
        }
    }
}
