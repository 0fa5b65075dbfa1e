package dev.rowan.catalog;

import java.util.List;

/**
 * A table constraint: type is primary_key, unique, check, foreign_key or exclusion; definition is PostgreSQL's
 * text of it; oid (pg_constraint.oid) addresses it in the API, since its name may hold any character.
 */
public record Constraint(String name, String type, List<Integer> attnums, String definition, long oid) {
}
