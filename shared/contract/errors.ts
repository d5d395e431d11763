// The contract's error, in a file of its own so the core can throw it without loading zod and every
// method's schema (the headless broker never parses a call; see schemas.ts for that).
export class ContractError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'ContractError';
  }
}
