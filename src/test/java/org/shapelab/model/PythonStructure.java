package org.shapelab.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a small Keras program builds, without Python: its statements as trees of calls, literals and variables,
 * printed so that layout, quotes, the order of keyword arguments and variable names do not matter. Reads the subset
 * that {@code toKerasPython()} and the fixtures use: {@code import keras}, assignments of one or more variables,
 * calls with positional and keyword arguments, tuples, lists, numbers, strings, None/True/False, comments.
 */
final class PythonStructure {

    private final List<String> tokens = new ArrayList<>();
    private int at;
    private final Map<String, String> variables = new HashMap<>();

    private PythonStructure(String source) {
        tokenize(source);
    }

    /** One canonical line per statement, e.g. {@code v2 = call(keras.layers.Dense, [16], {activation='relu'})(v0)}. */
    static List<String> of(String source) {
        PythonStructure parser = new PythonStructure(source);
        List<String> statements = new ArrayList<>();
        while (parser.at < parser.tokens.size()) {
            String statement = parser.statement();
            if (statement != null) {
                statements.add(statement);
            }
        }
        return statements;
    }

    private String statement() {
        if (peek().equals("\n")) {
            at++;
            return null;
        }
        if (peek().equals("import")) {
            at++;
            String module = next();
            expect("\n");
            return "import " + module;
        }
        List<String> targets = new ArrayList<>();
        int start = at;
        boolean assignment = false;
        while (at < tokens.size() && !peek().equals("\n")) {
            if (peek().equals("=")) {
                assignment = true;
                break;
            }
            at++;
        }
        at = start;
        if (assignment) {
            targets.add(next());
            while (peek().equals(",")) {
                at++;
                targets.add(next());
            }
            expect("=");
        }
        String value = expression();
        expect("\n");
        List<String> canonical = new ArrayList<>();
        for (String target : targets) {
            String id = target.equals("model") ? "model" : "v" + variables.size();
            variables.put(target, id);
            canonical.add(id);
        }
        return (canonical.isEmpty() ? "" : String.join(", ", canonical) + " = ") + value;
    }

    private String expression() {
        String value = atom();
        while (peek().equals("(")) {
            value = "call(" + value + ", " + arguments() + ")";
        }
        return value;
    }

    private String arguments() {
        expect("(");
        List<String> positional = new ArrayList<>();
        Map<String, String> keywords = new TreeMap<>();
        while (!peek().equals(")")) {
            if (at + 1 < tokens.size() && tokens.get(at + 1).equals("=") && isName(peek())) {
                String key = next();
                at++;
                keywords.put(key, expression());
            } else {
                positional.add(expression());
            }
            if (peek().equals(",")) {
                at++;
            }
        }
        expect(")");
        return positional + ", " + keywords;
    }

    private String atom() {
        String token = next();
        if (token.equals("(") || token.equals("[")) {
            String close = token.equals("(") ? ")" : "]";
            List<String> items = new ArrayList<>();
            while (!peek().equals(close)) {
                items.add(expression());
                if (peek().equals(",")) {
                    at++;
                }
            }
            at++;
            return (token.equals("(") ? "tuple" : "list") + items;
        }
        if (token.startsWith("\"") || token.startsWith("'")) {
            return "'" + token.substring(1, token.length() - 1) + "'";
        }
        if (Character.isDigit(token.charAt(0)) || token.startsWith("-")) {
            return token.contains(".") || token.contains("e") ? Double.toString(Double.parseDouble(token)) : token;
        }
        if (!isName(token)) {
            throw new IllegalArgumentException("unexpected '" + token + "' at token " + at + " of " + tokens);
        }
        return variables.getOrDefault(token, token);
    }

    private static boolean isName(String token) {
        return Character.isLetter(token.charAt(0)) || token.charAt(0) == '_';
    }

    private String peek() {
        return at < tokens.size() ? tokens.get(at) : "\n";
    }

    private String next() {
        if (at >= tokens.size()) {
            throw new IllegalArgumentException("unexpected end of the program");
        }
        return tokens.get(at++);
    }

    private void expect(String token) {
        String got = next();
        if (!got.equals(token)) {
            throw new IllegalArgumentException("expected '" + token + "' but found '" + got + "' at token " + (at - 1)
                    + " of " + tokens);
        }
    }

    /** Tokens; a newline only where a statement ends (outside brackets). */
    private void tokenize(String source) {
        int depth = 0;
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '#') {
                while (i < source.length() && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '\n') {
                if (depth == 0 && !tokens.isEmpty() && !tokens.get(tokens.size() - 1).equals("\n")) {
                    tokens.add("\n");
                }
                i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (source.charAt(end) != c) {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                tokens.add(source.substring(i, end + 1));
                i = end + 1;
            } else if ("()[],=".indexOf(c) >= 0) {
                depth += c == '(' || c == '[' ? 1 : c == ')' || c == ']' ? -1 : 0;
                tokens.add(String.valueOf(c));
                i++;
            } else if (Character.isDigit(c) || c == '-' && i + 1 < source.length()
                    && Character.isDigit(source.charAt(i + 1))) {
                int end = i + 1;
                while (end < source.length() && (Character.isLetterOrDigit(source.charAt(end))
                        || ".+-".indexOf(source.charAt(end)) >= 0 && (source.charAt(end) == '.'
                        || Character.toLowerCase(source.charAt(end - 1)) == 'e'))) {
                    end++;
                }
                tokens.add(source.substring(i, end));
                i = end;
            } else if (Character.isLetter(c) || c == '_') {
                int end = i + 1;
                while (end < source.length() && (Character.isLetterOrDigit(source.charAt(end))
                        || source.charAt(end) == '_' || source.charAt(end) == '.')) {
                    end++;
                }
                tokens.add(source.substring(i, end));
                i = end;
            } else {
                throw new IllegalArgumentException("cannot read '" + c + "' at " + i);
            }
        }
        if (!tokens.isEmpty() && !tokens.get(tokens.size() - 1).equals("\n")) {
            tokens.add("\n");
        }
    }
}
