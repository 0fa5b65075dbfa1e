package dev.rowan;

import dev.rowan.cli.RootCommand;

/** Rowan's entry point: {@code java -jar rowan.jar [command]}. Without a command it serves. */
public final class Rowan {
    private Rowan() {
    }

    public static void main(String[] args) {
        System.exit(RootCommand.run(args));
    }
}
