// Recursive descent over the tokens: || binds loosest, then &&, then !, then a comparison. Every error
// names what was expected and where.
import { FilterError, type CmpOp, type FilterNode, type Literal } from './ast';
import { OPS_OF, resolveField } from './fields';
import { lex, type Token } from './lexer';

const CMP = new Set(['==', '!=', '<', '<=', '>', '>=', '~']);
const WORD_OPS = new Set(['contains', 'matches']);

export function parseFilter(src: string): FilterNode {
  const toks = lex(src);
  let k = 0;
  const peek = (): Token => toks[k];
  const isOp = (t: Token, ...ops: string[]) => (t.kind === 'op' && ops.includes(t.text)) || (t.kind === 'name' && ops.includes(t.text));
  const describe = (t: Token) => (t.kind === 'string' ? `"${t.text}"` : `'${t.text}'`);
  /** ", found X", or nothing at the end of the input (the position says where). */
  const found = (t: Token) => (t.kind === 'end' ? '' : `, found ${describe(t)}`);

  const parseOr = (): FilterNode => {
    let left = parseAnd();
    while (isOp(peek(), '||', 'or')) {
      const t = toks[k++];
      left = { kind: 'or', left, right: parseAnd(t), pos: t.pos };
    }
    return left;
  };
  const parseAnd = (after?: Token): FilterNode => {
    let left = parseUnary(after);
    while (isOp(peek(), '&&', 'and')) {
      const t = toks[k++];
      left = { kind: 'and', left, right: parseUnary(t), pos: t.pos };
    }
    return left;
  };
  const parseUnary = (after?: Token): FilterNode => {
    const t = peek();
    if (isOp(t, '!', 'not')) {
      k++;
      return { kind: 'not', operand: parseUnary(t), pos: t.pos };
    }
    return parsePrimary(after);
  };
  const parsePrimary = (after?: Token): FilterNode => {
    const t = peek();
    if (isOp(t, '(')) {
      k++;
      const inner = parseOr();
      const close = peek();
      if (!isOp(close, ')')) throw new FilterError(`expected ')' to close the '(' at ${t.pos + 1}${found(close)}`, close.pos);
      k++;
      return inner;
    }
    if (t.kind !== 'name' || isOp(t, 'and', 'or', 'not', 'contains', 'matches')) {
      const what = after ? `after '${after.text}'` : 'here';
      throw new FilterError(`expected a field name ${what}${found(t)}`, t.pos);
    }
    k++;
    const field = resolveField(t.text);
    if (typeof field === 'string') throw new FilterError(field, t.pos);
    const opTok = peek();
    const isCmp = (opTok.kind === 'op' && CMP.has(opTok.text)) || (opTok.kind === 'name' && WORD_OPS.has(opTok.text));
    if (!isCmp) return { kind: 'has', field: t.text, pos: t.pos };
    k++;
    const op = opTok.text as CmpOp;
    if (!OPS_OF[field.def.type].includes(op)) {
      throw new FilterError(`'${t.text}' cannot be compared with '${op}' (use ${OPS_OF[field.def.type].join(' ')})`, opTok.pos);
    }
    const v = peek();
    let value: Literal;
    if (v.kind === 'number') value = { kind: 'number', value: v.value!, text: v.text, pos: v.pos };
    else if (v.kind === 'string') value = { kind: 'string', value: v.text, pos: v.pos };
    else if (v.kind === 'regex') value = { kind: 'regex', source: v.text, flags: v.flags ?? '', pos: v.pos };
    else if (v.kind === 'name' && !isOp(v, 'and', 'or', 'not')) value = { kind: 'word', value: v.text, pos: v.pos };
    else throw new FilterError(`expected a value after '${op}'${found(v)}`, v.pos);
    k++;
    return { kind: 'cmp', field: t.text, op, value, pos: t.pos, opPos: opTok.pos };
  };

  if (peek().kind === 'end') throw new FilterError('the filter is empty', 0);
  const node = parseOr();
  const rest = peek();
  if (rest.kind !== 'end') {
    const hint = rest.kind === 'name' || rest.kind === 'op' && rest.text === '(' ? " (join conditions with '&&' or '||')" : '';
    throw new FilterError(`unexpected ${describe(rest)}${hint}`, rest.pos);
  }
  return node;
}
