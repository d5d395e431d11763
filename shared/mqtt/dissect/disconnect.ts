// DISCONNECT (§3.14) and AUTH (§3.15). In 5.0 both may stop after any field: remaining length 0
// means reason 0x00 and no properties; 1 means a reason code and no properties.
import type { FieldNode } from '../../contract/types';
import { readProperties } from './properties';
import { reasonCode } from './publish';
import { section, type Ctx } from './reader';
import { reasonText } from '../reason-codes';

export function dissectReasonAndProperties(c: Ctx, out: FieldNode[]): void {
  if (c.v !== 5 && c.type === 'DISCONNECT') return; // 3.1/3.1.1 DISCONNECT is the fixed header only
  section(c, out, 'Variable header', (kids) => {
    if (c.pos >= c.limit) {
      kids.push({ name: 'Reason code', value: `0x00 ${reasonText(0, c.type, 5)} (implied: remaining length 0)`, num: 0, offset: c.pos, length: 0 });
      return;
    }
    reasonCode(c, kids, 'Reason code');
    if (c.pos >= c.limit) {
      kids.push({ name: 'Properties', value: '(none, implied)', num: 0, offset: c.pos, length: 0 });
      return;
    }
    readProperties(c, kids, c.type);
  });
}
