// The display filter language, shared by core, the CLI and the renderer (for completion and errors).
export { FilterError, type FilterNode, type CmpOp, type Literal } from './ast';
export { parseFilter } from './parser';
export { compileFilter, compileNode, type Predicate } from './compile';
export type { FrameFacts, FrameProperty } from './facts';
export { FIELDS, PROPERTY_KEYS, resolveField, propertyKey, type FieldDef } from './fields';
