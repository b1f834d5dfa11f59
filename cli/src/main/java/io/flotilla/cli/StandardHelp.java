package io.flotilla.cli;

import picocli.CommandLine.Option;

/**
 * {@code -h/--help} and {@code -V/--version} on every command, as picocli's {@code mixinStandardHelpOptions} gives
 * them, but created by {@link FlotillaCli#FACTORY}: picocli builds its own mixin with its default factory, whose class
 * initialiser looks for Groovy in every jar of the class path, at every start.
 */
final class StandardHelp {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print version information and exit.")
    boolean version;
}
