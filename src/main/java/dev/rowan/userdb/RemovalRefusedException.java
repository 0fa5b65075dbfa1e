package dev.rowan.userdb;

import dev.rowan.UserFacingException;
import java.util.List;

/**
 * Rowan's schemas were left in place, and nothing in the database was changed, because removing them
 * would have broken or dropped something of the user's. Never worked around with CASCADE: the person
 * decides what to do with each object listed.
 */
public final class RemovalRefusedException extends UserFacingException {
    private final List<Dependency> dependencies;

    RemovalRefusedException(String message, List<Dependency> dependencies) {
        super(message);
        this.dependencies = List.copyOf(dependencies);
    }

    static RemovalRefusedException dependentsExist(List<Dependency> dependencies) {
        StringBuilder message = new StringBuilder("Rowan's schemas were not removed, and nothing was changed, because ")
                .append(dependencies.size() == 1 ? "an object of this database uses them" : "objects of this database use them")
                .append(": ");
        for (int i = 0; i < dependencies.size(); i++) {
            message.append(i == 0 ? "" : "; ").append(dependencies.get(i));
        }
        return new RemovalRefusedException(message.append(". Change or drop these objects, then remove the database again.").toString(),
                dependencies);
    }

    /** The objects that stopped the removal; empty when something else did (see the message). */
    public List<Dependency> dependencies() {
        return dependencies;
    }
}
