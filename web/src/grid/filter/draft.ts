// The filter builder edits a draft: conditions combined with all/any, and groups of conditions one
// level deep. These functions turn the API's filter tree (docs/api/records.md "Filters") into a
// draft and back, so opening the builder shows the filter in force.

import type { ColumnOperators, FilterCondition, FilterNode } from '../../lib/data';
import { defaultOperator, needsValue, valueInput, valueProblem } from './operators';

export type Combinator = 'and' | 'or';

export interface ConditionDraft {
  type: 'condition';
  id: number;
  column: string;
  op: string;
  /** As typed; boolean values are 'true' / 'false'. */
  value: string;
}

export interface GroupDraft {
  type: 'group';
  id: number;
  combinator: Combinator;
  conditions: ConditionDraft[];
}

export type ItemDraft = ConditionDraft | GroupDraft;

export interface FilterDraft {
  combinator: Combinator;
  items: ItemDraft[];
}

let lastId = 0;
const nextId = () => ++lastId;

/** The complement of an operator, so `{not: {op: eq}}` can be shown as "is not" (the API defines them as complements). */
const COMPLEMENTS: Record<string, string> = {
  eq: 'ne',
  ne: 'eq',
  is_null: 'is_not_null',
  is_not_null: 'is_null',
  contains: 'not_contains',
  not_contains: 'contains',
};

export function newCondition(columns: ColumnOperators[], column?: string): ConditionDraft {
  const c = columns.find((x) => x.column === column) ?? columns[0];
  return { type: 'condition', id: nextId(), column: c?.column ?? '', op: c ? defaultOperator(c.kind, c.operators) : 'eq', value: '' };
}

export function newGroup(columns: ColumnOperators[]): GroupDraft {
  return { type: 'group', id: nextId(), combinator: 'or', conditions: [newCondition(columns)] };
}

function isCondition(node: FilterNode): node is FilterCondition {
  return typeof (node as FilterCondition).column === 'string';
}

function groupOf(node: FilterNode): { combinator: Combinator; children: FilterNode[] } | null {
  if ('and' in node && Array.isArray(node.and)) return { combinator: 'and', children: node.and };
  if ('or' in node && Array.isArray(node.or)) return { combinator: 'or', children: node.or };
  return null;
}

/** Reads a condition, or `not` around one whose operator has a complement. */
function conditionOf(node: FilterNode, columns: ColumnOperators[]): ConditionDraft | null {
  let condition: FilterCondition | null = null;
  if (isCondition(node)) {
    condition = node;
  } else if ('not' in node && node.not && isCondition(node.not) && COMPLEMENTS[node.not.op]) {
    condition = { ...node.not, op: COMPLEMENTS[node.not.op] };
  }
  if (!condition) return null;
  const column = columns.find((c) => c.column === condition.column);
  if (!column || !column.operators.includes(condition.op)) return null;
  const value = condition.value === undefined ? '' : String(condition.value);
  return { type: 'condition', id: nextId(), column: condition.column, op: condition.op, value };
}

/**
 * The draft of a filter; `complete` is false when parts of it cannot be shown here (deeper nesting,
 * a `not` of a group, a column that is gone) — those parts are left out of the draft.
 */
export function toDraft(filter: FilterNode | null, columns: ColumnOperators[]): { draft: FilterDraft; complete: boolean } {
  if (!filter) return { draft: { combinator: 'and', items: [] }, complete: true };
  let complete = true;
  const top = groupOf(filter);
  const children = top ? top.children : [filter];
  const items: ItemDraft[] = [];
  for (const child of children) {
    const condition = conditionOf(child, columns);
    if (condition) {
      items.push(condition);
      continue;
    }
    const group = groupOf(child);
    if (group) {
      const conditions = group.children.map((g) => conditionOf(g, columns));
      if (conditions.some((c) => c === null)) complete = false;
      const kept = conditions.filter((c): c is ConditionDraft => c !== null);
      if (kept.length > 0) items.push({ type: 'group', id: nextId(), combinator: group.combinator, conditions: kept });
      continue;
    }
    complete = false;
  }
  return { draft: { combinator: top?.combinator ?? 'and', items }, complete };
}

/** Why a condition cannot be applied yet (no value, or a value its column can never take); null when it can. */
export function conditionProblem(condition: ConditionDraft, columns: ColumnOperators[], enumValues: (column: string) => string[] | null): string | null {
  const column = columns.find((c) => c.column === condition.column);
  if (!column) return 'Choose a column.';
  if (!needsValue(condition.op)) return null;
  if (condition.value === '') {
    return valueInput(column.kind, condition.op, enumValues(column.column)) === 'choice' ? 'Choose a value.' : 'Enter a value.';
  }
  return valueProblem(column.kind, condition.op, condition.value);
}

function conditionNode(condition: ConditionDraft, columns: ColumnOperators[]): FilterCondition {
  if (!needsValue(condition.op)) return { column: condition.column, op: condition.op };
  const kind = columns.find((c) => c.column === condition.column)?.kind;
  if (kind === 'boolean' && (condition.value === 'true' || condition.value === 'false')) {
    return { column: condition.column, op: condition.op, value: condition.value === 'true' };
  }
  return { column: condition.column, op: condition.op, value: condition.value };
}

/** The filter tree of a draft: `{and|or: [...]}`; null when there are no conditions. Empty groups are left out. */
export function toFilter(draft: FilterDraft, columns: ColumnOperators[]): FilterNode | null {
  const children: FilterNode[] = [];
  for (const item of draft.items) {
    if (item.type === 'condition') {
      children.push(conditionNode(item, columns));
    } else if (item.conditions.length > 0) {
      const nodes = item.conditions.map((c) => conditionNode(c, columns));
      children.push(item.combinator === 'and' ? { and: nodes } : { or: nodes });
    }
  }
  if (children.length === 0) return null;
  return draft.combinator === 'and' ? { and: children } : { or: children };
}
