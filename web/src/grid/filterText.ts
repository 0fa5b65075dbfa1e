// A filter tree in words, for the summary above the grid: `title contains “dune” and (price < 20 or price is empty)`.

import type { FilterNode } from '../lib/data';

const OPERATORS: Record<string, string> = {
  eq: '=',
  ne: '≠',
  lt: '<',
  le: '≤',
  gt: '>',
  ge: '≥',
  is_null: 'is empty',
  is_not_null: 'is not empty',
  contains: 'contains',
  not_contains: 'does not contain',
  starts_with: 'starts with',
  ends_with: 'ends with',
  eq_ci: '= (any case)',
  contains_ci: 'contains (any case)',
  starts_with_ci: 'starts with (any case)',
  ends_with_ci: 'ends with (any case)',
  email_domain: 'has email domain',
  uri_host: 'has host',
  uri_scheme: 'has scheme',
  has: 'has element',
  is_true: 'is true',
  is_false: 'is false',
  has_key: 'has key',
};

export function describeFilter(node: FilterNode, nested = false): string {
  if ('and' in node) return group(node.and, ' and ', 'everything', nested);
  if ('or' in node) return group(node.or, ' or ', 'nothing', nested);
  if ('not' in node) return `not ${describeFilter(node.not, true)}`;
  const op = OPERATORS[node.op] ?? node.op;
  return node.value === undefined ? `${node.column} ${op}` : `${node.column} ${op} “${String(node.value)}”`;
}

function group(parts: FilterNode[], joiner: string, whenEmpty: string, nested: boolean): string {
  if (parts.length === 0) return whenEmpty;
  const text = parts.map((p) => describeFilter(p, true)).join(joiner);
  return nested && parts.length > 1 ? `(${text})` : text;
}
