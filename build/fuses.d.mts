export declare const FUSES: Record<string | number, unknown>;
export declare function applyFuses(binaryPath: string): Promise<void>;
