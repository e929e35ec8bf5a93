import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cp, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LambdaFunction } from './lambda-functions';

const RUNTIME_FILES = fileURLToPath(new URL('./lambda-runtime/', import.meta.url));

/** Lambda's error payload, as the Node.js runtime writes it. */
interface LambdaError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

/** One invocation, for the rehearsal's report. */
export interface InvocationRecord {
  readonly functionName: string;
  readonly logicalId: string;
  readonly cold: boolean;
  readonly ms: number;
  readonly error?: LambdaError;
  /** What the function wrote (stdout and stderr), line by line. */
  readonly logs: readonly string[];
}

/** Calls a function makes to the rest of AWS (the framework starts its waiter, PUTs its response). */
interface AwsCalls {
  startExecution(input: { stateMachineArn: string; name?: string; input: string }): Promise<{ executionArn: string; startDate: number }>;
  http(request: { protocol: string; method: string; hostname: string; path: string; body: string }): Promise<{ statusCode: number }>;
}

interface Pending {
  resolve(answer: { payload?: unknown; error?: LambdaError }): void;
}

/** One warm execution environment: a Node.js process running the rehearsal's bootstrap. */
class Container {
  busy = false;
  private readonly child: ChildProcess;
  private readonly ready: Promise<void>;
  private readonly waiting = new Map<string, Pending>();
  private lines: string[] = [];
  private exited?: string;

  constructor(
    readonly fn: LambdaFunction,
    taskRoot: string,
    runtimeDir: string,
    env: Readonly<Record<string, string>>,
    private readonly lambda: LambdaService,
  ) {
    this.child = spawn(process.execPath, [path.join(RUNTIME_FILES, 'bootstrap.cjs')], {
      cwd: taskRoot,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...env, LAMBDA_TASK_ROOT: taskRoot, _HANDLER: fn.handler, NODE_PATH: path.join(runtimeDir, 'node_modules') },
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (text: string) => this.lines.push(...text.split('\n').filter((line) => line.trim() !== '')));
    }
    this.ready = new Promise((resolve, reject) => {
      this.child.once('message', () => resolve());
      this.child.once('exit', (code) =>
        reject(new Error(`the runtime of ${fn.name} exited with ${code} before it was ready: ${this.lines.join(' | ')}`)),
      );
    });
    this.child.on('message', (message: { type: string; id: string | number; payload?: unknown; service?: string; input?: unknown }) => {
      if (message.type === 'call') void this.answerCall(message.id as number, message.service ?? '', message.input);
      if (message.type === 'result' || message.type === 'error') {
        const pending = this.waiting.get(String(message.id));
        this.waiting.delete(String(message.id));
        pending?.resolve(message.type === 'result' ? { payload: message.payload } : { error: message.payload as LambdaError });
      }
    });
    this.child.on('error', (error) => this.lines.push(`runtime error: ${error.message}`));
    this.child.on('exit', (code, signal) => {
      this.exited = `exited with ${signal ?? code}`;
      for (const pending of this.waiting.values())
        pending.resolve({ error: { errorType: 'Runtime.ExitError', errorMessage: `RequestId: the runtime ${this.exited}` } });
      this.waiting.clear();
    });
  }

  get alive(): boolean {
    return this.exited === undefined;
  }

  async invoke(event: unknown): Promise<{ payload?: unknown; error?: LambdaError; logs: string[] }> {
    await this.ready;
    this.lines = [];
    const requestId = randomUUID();
    const timeoutMs = this.fn.timeoutSeconds * 1000;
    const answer = await new Promise<{ payload?: unknown; error?: LambdaError }>((resolve) => {
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve({
          error: {
            errorType: 'Sandbox.Timedout',
            errorMessage: `RequestId: ${requestId} Error: Task timed out after ${this.fn.timeoutSeconds.toFixed(2)} seconds`,
          },
        });
      }, timeoutMs);
      this.waiting.set(requestId, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
      });
      this.child.send({ type: 'invoke', id: requestId, requestId, event, timeoutMs, functionArn: this.fn.arn });
    });
    // Output written just before the answer may still be in the pipe.
    await new Promise((resolve) => setImmediate(resolve));
    return { ...answer, logs: this.lines };
  }

  private async answerCall(id: number, service: string, input: unknown): Promise<void> {
    let answer: { output?: unknown; error?: { name: string; message: string } };
    try {
      answer = { output: await this.lambda.serve(service, input) };
    } catch (error) {
      answer = { error: { name: (error as Error).name, message: (error as Error).message } };
    }
    // The environment may have been shut down meanwhile (the rehearsal ended): nobody is listening.
    if (this.alive && this.child.connected) this.child.send({ type: 'callResult', id, ...answer });
  }

  kill(): void {
    if (this.alive) this.child.kill();
  }
}

/**
 * The rehearsal's Lambda: runs each function of the template from its synthesized asset (copied
 * to a task root of its own, as Lambda unzips it), in warm Node.js processes, with the
 * environment Lambda gives (the template's variables, region, credentials) plus `extraEnv`
 * (the AWS_ENDPOINT_URL_* that point the SDK at 127.0.0.1).
 */
export class LambdaService {
  readonly invocations: InvocationRecord[] = [];
  private readonly containers = new Map<string, Container[]>();
  private readonly taskRoots = new Map<string, Promise<string>>();
  private readonly inflight = new Set<Promise<unknown>>();
  private runtimeDir?: Promise<string>;
  aws?: AwsCalls;

  constructor(
    private functions: readonly LambdaFunction[],
    private readonly options: { readonly workDir: string; readonly region: string; readonly extraEnv: Readonly<Record<string, string>> },
  ) {}

  find(nameOrArn: string): LambdaFunction {
    const bare = nameOrArn.replace(/:(\$LATEST|\d+)$/, '');
    const fn = this.functions.find((f) => f.arn === bare || f.name === bare);
    if (!fn) throw Object.assign(new Error(`Function not found: ${nameOrArn}`), { name: 'ResourceNotFoundException' });
    return fn;
  }

  /** Lambda's Invoke: RequestResponse waits for the answer; Event returns 202 and runs it anyway. */
  async invoke(
    nameOrArn: string,
    event: unknown,
    type: 'RequestResponse' | 'Event' = 'RequestResponse',
  ): Promise<{ StatusCode: number; FunctionError?: string; Payload: string }> {
    const fn = this.find(nameOrArn);
    const run = this.run(fn, event);
    this.inflight.add(run);
    void run.finally(() => this.inflight.delete(run));
    if (type === 'Event') {
      void run;
      return { StatusCode: 202, Payload: '' };
    }
    const { payload, error } = await run;
    return error
      ? { StatusCode: 200, FunctionError: 'Unhandled', Payload: JSON.stringify(error) }
      : { StatusCode: 200, Payload: JSON.stringify(payload) };
  }

  /** What the functions ask of the rest of AWS, through the bootstrap. */
  async serve(service: string, input: unknown): Promise<unknown> {
    if (service === 'lambda.invoke') {
      const request = input as { FunctionName: string; InvocationType: 'RequestResponse' | 'Event'; Payload: string };
      return this.invoke(request.FunctionName, request.Payload ? JSON.parse(request.Payload) : {}, request.InvocationType);
    }
    if (!this.aws) throw new Error(`no AWS service behind ${service}`);
    if (service === 'sfn.startExecution') return this.aws.startExecution(input as Parameters<AwsCalls['startExecution']>[0]);
    if (service === 'http') return this.aws.http(input as Parameters<AwsCalls['http']>[0]);
    throw new Error(`the rehearsal does not serve ${service}`);
  }

  /**
   * CloudFormation's update of the functions' code before a resource that uses them: a function
   * whose code changed starts cold on its next invocation, from the new code.
   */
  updateCode(functions: readonly LambdaFunction[]): void {
    for (const fn of functions) {
      const current = this.functions.find((f) => f.logicalId === fn.logicalId);
      if (current?.codeKey === fn.codeKey) continue;
      for (const container of this.containers.get(fn.logicalId) ?? []) container.kill();
      this.containers.delete(fn.logicalId);
    }
    this.functions = functions;
  }

  /** Resolves once no invocation is running (an Event invocation may outlive the response it sent). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  async close(): Promise<void> {
    for (const list of this.containers.values()) for (const container of list) container.kill();
    this.containers.clear();
  }

  private async run(fn: LambdaFunction, event: unknown): Promise<{ payload?: unknown; error?: LambdaError }> {
    const list = (this.containers.get(fn.logicalId) ?? []).filter((c) => c.alive);
    let container = list.find((c) => !c.busy);
    const cold = container === undefined;
    if (!container) {
      container = new Container(fn, await this.taskRoot(fn), await this.runtime(), this.environment(fn), this);
      list.push(container);
    }
    this.containers.set(fn.logicalId, list);
    container.busy = true;
    const began = performance.now();
    try {
      const answer = await container.invoke(event);
      this.invocations.push({
        functionName: fn.name,
        logicalId: fn.logicalId,
        cold,
        ms: performance.now() - began,
        error: answer.error,
        logs: answer.logs,
      });
      return answer;
    } finally {
      container.busy = false;
    }
  }

  private environment(fn: LambdaFunction): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      TZ: 'UTC',
      LANG: 'en_US.UTF-8',
      AWS_REGION: this.options.region,
      AWS_DEFAULT_REGION: this.options.region,
      AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
      AWS_LAMBDA_LOG_GROUP_NAME: fn.logGroupName,
      AWS_LAMBDA_LOG_STREAM_NAME: `rehearsal/[$LATEST]${randomUUID().replace(/-/g, '')}`,
      // The execution role's temporary credentials: the key id tells the local AWS which role signs.
      AWS_ACCESS_KEY_ID: fn.accessKeyId,
      AWS_SECRET_ACCESS_KEY: 'rehearsal-secret-not-a-real-key',
      AWS_SESSION_TOKEN: 'rehearsal-session-token',
      ...(fn.logLevel ? { AWS_LAMBDA_LOG_LEVEL: fn.logLevel, AWS_LAMBDA_LOG_FORMAT: 'JSON' } : {}),
      ...fn.environment,
      ...this.options.extraEnv,
    };
  }

  private taskRoot(fn: LambdaFunction): Promise<string> {
    let root = this.taskRoots.get(fn.codeKey);
    if (!root) {
      const target = path.join(this.options.workDir, 'task', fn.codeKey.replace(/\.zip$/, ''));
      root = cp(fn.codeDir, target, { recursive: true }).then(() => target);
      this.taskRoots.set(fn.codeKey, root);
    }
    return root;
  }

  private runtime(): Promise<string> {
    this.runtimeDir ??= (async () => {
      const dir = path.join(this.options.workDir, 'runtime');
      for (const client of ['client-lambda', 'client-sfn']) {
        const target = path.join(dir, 'node_modules', '@aws-sdk', client);
        await mkdir(target, { recursive: true });
        await cp(path.join(RUNTIME_FILES, `${client}.cjs`), path.join(target, 'index.js'));
      }
      return dir;
    })();
    return this.runtimeDir;
  }
}
