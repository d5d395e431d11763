// The display filter's syntax tree and its one error type. Positions are 0-based character offsets into
// the expression; messages count characters from 1, the way a person reads a line.

export type CmpOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | 'matches' | '~';

export type Literal =
  | { kind: 'number'; value: number; text: string; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'regex'; source: string; flags: string; pos: number }
  | { kind: 'word'; value: string; pos: number };

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode; pos: number }
  | { kind: 'not'; operand: FilterNode; pos: number }
  /** A field on its own: true when the frame has it (and, for flags, when it is set). */
  | { kind: 'has'; field: string; pos: number }
  | { kind: 'cmp'; field: string; op: CmpOp; value: Literal; pos: number; opPos: number };

export class FilterError extends Error {
  constructor(readonly reason: string, readonly pos: number) {
    super(`${reason} at ${pos + 1}`);
    this.name = 'FilterError';
  }
}
