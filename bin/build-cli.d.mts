import type * as Cli from '../cli/index';

/** The project's root folder: where bin/ is. */
export declare const ROOT: string;
/** Where the built CLI is written: dist/cli. */
export declare const OUT_DIR: string;
/** The built CLI's entry: dist/cli/index.mjs. */
export declare const ENTRY: string;

export interface BuildManifest {
  /** When the build began, in ms since the epoch: a source modified after it makes the build stale. */
  readonly builtAt: number;
  /** The files it was built from, relative to ROOT. */
  readonly inputs: readonly string[];
  /** The files it wrote into OUT_DIR. */
  readonly outputs: readonly string[];
}

export declare function buildCli(): Promise<BuildManifest>;
export declare function staleness(): string | undefined;
export declare function loadCli(note: (line: string) => void): Promise<typeof Cli>;
