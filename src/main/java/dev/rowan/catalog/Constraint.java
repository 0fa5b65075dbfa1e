package dev.rowan.catalog;

import java.util.List;

/** A table constraint: type is primary_key, unique, check, foreign_key or exclusion; definition is PostgreSQL's text of it. */
public record Constraint(String name, String type, List<Integer> attnums, String definition) {
}
