/**
 * Display filters for a conversation, as termshark's conversations view prepares them: a
 * direction (A ↔ B, A → B, ... the nine of termshark's menu) combined with the filter already
 * applied (Selected, Not Selected, ...and Selected, ...).
 */
import type { Conversation, ConversationType } from '@reef/dissect';

export const DIRECTIONS = ['A ↔ B', 'A → B', 'B → A', 'A ↔ Any', 'A → Any', 'Any → A', 'Any ↔ B', 'Any → B', 'B → Any'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const COMBINATIONS = ['Selected', 'Not Selected', '...and Selected', '...or Selected', '...and not Selected', '...or not Selected'] as const;
export type Combination = (typeof COMBINATIONS)[number];

type Role = 'any' | 'src' | 'dst';

/** The filter matching one end (`A` or `B`) of `c` in `role`. */
function endpoint(type: ConversationType, c: Conversation, end: 'A' | 'B', role: Role): string {
  const addr = end === 'A' ? c.a : c.b;
  const port = end === 'A' ? c.portA : c.portB;
  const suffix = role === 'any' ? 'addr' : role;
  if (type === 'eth' || type === 'ip' || type === 'ipv6') return `${type}.${suffix}==${addr}`;
  const family = addr.includes(':') ? 'ipv6' : 'ip';
  const portField = role === 'any' ? 'port' : `${role}port`;
  return `${family}.${suffix}==${addr} && ${type}.${portField}==${port}`;
}

/** The filter for `direction` of conversation `c` of table `type`. */
export function directionFilter(type: ConversationType, c: Conversation, direction: Direction): string {
  const e = (end: 'A' | 'B', role: Role) => endpoint(type, c, end, role);
  switch (direction) {
    case 'A ↔ B':
      return `${e('A', 'any')} && ${e('B', 'any')}`;
    case 'A → B':
      return `${e('A', 'src')} && ${e('B', 'dst')}`;
    case 'B → A':
      return `${e('B', 'src')} && ${e('A', 'dst')}`;
    case 'A ↔ Any':
      return e('A', 'any');
    case 'A → Any':
      return e('A', 'src');
    case 'Any → A':
      return e('A', 'dst');
    case 'Any ↔ B':
      return e('B', 'any');
    case 'Any → B':
      return e('B', 'dst');
    case 'B → Any':
      return e('B', 'src');
  }
}

/** `selected` combined with the filter applied now (`current`, '' when none). */
export function combineFilter(selected: string, current: string, how: Combination): string {
  if (how === 'Selected' || (!current && how.startsWith('...'))) return how.includes('not') ? `!(${selected})` : selected;
  if (how === 'Not Selected') return `!(${selected})`;
  const op = how.startsWith('...and') ? '&&' : '||';
  const sel = how.includes('not') ? `!(${selected})` : `(${selected})`;
  return `(${current}) ${op} ${sel}`;
}
