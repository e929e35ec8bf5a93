import { randomUUID } from 'node:crypto';
import type { LambdaService } from './lambda-service';

/** The part of Amazon States Language the CDK Provider framework's waiter uses. */
interface TaskState {
  readonly Type: 'Task';
  readonly Resource: string;
  readonly Retry?: readonly { ErrorEquals: readonly string[]; IntervalSeconds?: number; MaxAttempts?: number; BackoffRate?: number }[];
  readonly Catch?: readonly { ErrorEquals: readonly string[]; Next: string }[];
  readonly Next?: string;
  readonly End?: boolean;
}

export interface StateMachineDefinition {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, TaskState>>;
}

const matches = (errors: readonly string[], name: string) => errors.includes('States.ALL') || errors.includes(name);

/**
 * Step Functions for the Provider framework's waiter: Lambda tasks with Retry (interval, attempts,
 * backoff) and Catch. Waits are the definition's, multiplied by `timeScale` (the rehearsal polls
 * in a fraction of CloudFormation's time, the number of polls allowed stays the same).
 */
export class StepFunctions {
  /** Every execution started: each settles when it ends. */
  readonly executions: Promise<void>[] = [];

  constructor(
    private readonly machines: ReadonlyMap<string, StateMachineDefinition>,
    private readonly lambda: LambdaService,
    private readonly timeScale: number,
  ) {}

  start(stateMachineArn: string, input: string): { executionArn: string; startDate: number } {
    const definition = this.machines.get(stateMachineArn);
    if (!definition)
      throw Object.assign(new Error(`State Machine Does Not Exist: '${stateMachineArn}'`), { name: 'StateMachineDoesNotExist' });
    const arn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${randomUUID()}`;
    // Its outcome is not kept: the framework's tasks report to CloudFormation themselves.
    this.executions.push(this.run(definition, JSON.parse(input) as unknown).catch(() => undefined));
    return { executionArn: arn, startDate: Date.now() };
  }

  private async run(definition: StateMachineDefinition, input: unknown): Promise<void> {
    let name: string | undefined = definition.StartAt;
    let value = input;
    while (name !== undefined) {
      const state: TaskState | undefined = definition.States[name];
      if (state?.Type !== 'Task') throw new Error(`state ${name}: only Task states are rehearsed`);
      const outcome = await this.task(state, value);
      if ('error' in outcome) {
        const handler: { Next: string } | undefined = state.Catch?.find((c) => matches(c.ErrorEquals, outcome.error.Error));
        if (!handler) throw new Error(`${outcome.error.Error}: ${outcome.error.Cause}`);
        name = handler.Next;
        value = outcome.error;
        continue;
      }
      value = outcome.output;
      name = state.End ? undefined : state.Next;
    }
  }

  /** One Task state: invoke, and retry as its Retry says. */
  private async task(state: TaskState, input: unknown): Promise<{ output: unknown } | { error: { Error: string; Cause: string } }> {
    const retries = new Map<number, number>();
    for (;;) {
      const answer = await this.lambda.invoke(state.Resource, input);
      if (!answer.FunctionError) return { output: answer.Payload ? (JSON.parse(answer.Payload) as unknown) : null };
      const errorType = (JSON.parse(answer.Payload) as { errorType?: string }).errorType ?? 'Error';
      const error = { Error: errorType, Cause: answer.Payload };
      const index = (state.Retry ?? []).findIndex((r) => matches(r.ErrorEquals, errorType));
      const retry = state.Retry?.[index];
      const done = retries.get(index) ?? 0;
      if (!retry || done >= (retry.MaxAttempts ?? 3)) return { error };
      retries.set(index, done + 1);
      const seconds = (retry.IntervalSeconds ?? 1) * (retry.BackoffRate ?? 2) ** done;
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000 * this.timeScale));
    }
  }
}
