import type { Check } from './checks';

/** What each phase of the rehearsal and the whole of it came to: read by the checks and the report. */
export interface PhaseResult {
  readonly title: string;
  readonly requestType: 'Create' | 'Update' | 'Delete';
  readonly loadId?: string;
  readonly expected: 'SUCCESS' | 'FAILED';
  readonly status: 'SUCCESS' | 'FAILED';
  readonly reason: string;
  readonly ms: number;
  readonly checks: readonly Check[];
  readonly rows?: Readonly<Record<string, number>>;
  readonly ok: boolean;
}

export interface RehearsalResult {
  readonly ok: boolean;
  readonly phases: readonly PhaseResult[];
  readonly setupMs: number;
  readonly totalMs: number;
}
