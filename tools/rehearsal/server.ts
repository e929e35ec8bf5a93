import { DB_ROLES_TAG } from '../../lib/rules/database-identities';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SqlEngine } from '../../local/engine';
import { ApiError } from './api-error';
import { accessKeyOf, authorize, permissionsFor, userId, type CallerIdentity } from './authorization';
import { IAM_XMLNS, REDSHIFT_XMLNS, describeClusters, getNamespace, getWorkgroup, simulatePrincipalPolicy } from './control-plane';
import { DataApi } from './data-api';
import type { FakeAccount } from './fake-account';
import { queryError, queryResponse, type XmlElements } from './query-protocol';
import { LocalS3, decodeAwsChunked, etagOf, s3Error, s3Request } from './s3';

interface RehearsalServerOptions {
  /** A PGlite folder or a postgres:// URL where the Data API opens its sessions... */
  readonly database?: string;
  /** ...or an engine open in this thread, shared by the sessions one at a time (tests that hold one). */
  readonly engine?: SqlEngine;
  readonly account: FakeAccount;
  readonly buckets: Readonly<Record<string, string>>;
  readonly pageSize?: number;
  /** Keys per ListObjectsV2 page. @default 1000, as S3 */
  readonly s3PageSize?: number;
}

/** One call the server answered: which service and operation, the HTTP status, and who called. */
export interface CallRecord {
  readonly service: 'redshift-data' | 'redshift' | 'redshift-serverless' | 'iam' | 's3';
  readonly operation: string;
  readonly status: number;
  /** The caller's role, when its credentials are known: its policies were checked for this call. */
  readonly role?: string;
  /** The error shape answered, if any. */
  readonly error?: string;
}

export interface RehearsalServer {
  /** http://127.0.0.1:<port>: the endpoint for every AWS_ENDPOINT_URL_* the loader uses. */
  readonly url: string;
  readonly dataApi: DataApi;
  readonly account: FakeAccount;
  readonly calls: readonly CallRecord[];
  /**
   * Requests signed with this access key id come from this role: each of its calls is checked
   * against the role's policies in the account. Calls by unknown keys are not checked.
   */
  addIdentity(accessKeyId: string, identity: CallerIdentity): void;
  close(): Promise<void>;
}

type JsonHandler = (input: Readonly<Record<string, unknown>>, dbUser: string) => Record<string, unknown> | Promise<Record<string, unknown>>;
type QueryHandler = (params: URLSearchParams) => XmlElements;

/** Every operation the server answers, by SDK client; the handler tables below must cover each. */
export const SERVED_OPERATIONS = {
  'client-redshift-data': [
    'ExecuteStatement',
    'BatchExecuteStatement',
    'DescribeStatement',
    'GetStatementResult',
    'GetStatementResultV2',
    'CancelStatement',
    'ListStatements',
    'ListDatabases',
    'ListSchemas',
    'ListTables',
    'DescribeTable',
    'ListSessions',
  ],
  'client-redshift-serverless': ['GetWorkgroup', 'GetNamespace'],
  'client-redshift': ['DescribeClusters'],
  'client-iam': ['SimulatePrincipalPolicy'],
  'client-s3': ['ListObjectsV2', 'PutObject'],
} as const;

type Served<K extends keyof typeof SERVED_OPERATIONS, T> = Record<(typeof SERVED_OPERATIONS)[K][number], T>;

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** S3 is the only service here not called with POST; a SigV4 scope names it too ('.../<region>/s3/aws4_request'). */
function isS3(request: IncomingMessage): boolean {
  return request.method !== 'POST' || /\/s3\/aws4_request/.test(request.headers.authorization ?? '');
}

/**
 * An awsJson body: a JSON object. Anything else is the protocol's SerializationException, a client
 * error (400), as AWS answers it before any operation runs.
 */
function parseBody(body: string): Record<string, unknown> {
  let input: unknown;
  try {
    input = body ? JSON.parse(body) : {};
  } catch {
    throw new ApiError('SerializationException', 'Start of structure or map found where not expected, or the body is not valid JSON.', 400);
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new ApiError('SerializationException', 'The request body must be a JSON object.', 400);
  return input as Record<string, unknown>;
}

/** awsJson carries timestamps as epoch seconds; the operations build Dates, as the SDK's types have them. */
function toJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, converted: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : converted;
  });
}

/**
 * Starts the local AWS on 127.0.0.1 (a free port): the Redshift Data API over the engine, and the
 * preflight's Redshift, Redshift Serverless and IAM calls over the fake account. Nothing here
 * checks signatures: any credentials are accepted.
 */
export async function startRehearsalServer(options: RehearsalServerOptions): Promise<RehearsalServer> {
  const database = options.database ?? options.engine;
  if (database === undefined) throw new Error('startRehearsalServer needs a database or an engine');
  const dataApi = new DataApi({ ...options, database });
  await dataApi.init();
  const { account } = options;
  const calls: CallRecord[] = [];
  const identities = new Map<string, CallerIdentity>();
  // Who submitted each statement: the condition key redshift-data:statement-owner-iam-userid.
  const owners = new Map<string, string>();
  const callerOf = (request: IncomingMessage) => identities.get(accessKeyOf(request.headers.authorization) ?? '');

  // Each Data API operation is the DataApi method of its name: ExecuteStatement -> executeStatement.
  const dataApiOperations = Object.fromEntries(
    SERVED_OPERATIONS['client-redshift-data'].map((operation): [string, JsonHandler] => {
      const method = (operation.charAt(0).toLowerCase() + operation.slice(1)) as Uncapitalize<typeof operation>;
      return [operation, (input, dbUser) => dataApi[method](input, dbUser)];
    }),
  );
  const serverlessOperations: Served<'client-redshift-serverless', JsonHandler> = {
    GetWorkgroup: (input) => getWorkgroup(account, input),
    GetNamespace: (input) => getNamespace(account, input),
  };
  const redshiftActions: Served<'client-redshift', QueryHandler> = { DescribeClusters: (params) => describeClusters(account, params) };
  const iamActions: Served<'client-iam', QueryHandler> = { SimulatePrincipalPolicy: (params) => simulatePrincipalPolicy(account, params) };
  // awsJson: by the X-Amz-Target prefix; query protocol: by the API version the client sends.
  const json: Record<string, Record<string, JsonHandler>> = { RedshiftData: dataApiOperations, RedshiftServerless: serverlessOperations };
  const query: Record<string, { xmlns: string; service: CallRecord['service']; actions: Record<string, QueryHandler> }> = {
    '2012-12-01': { xmlns: REDSHIFT_XMLNS, service: 'redshift', actions: redshiftActions },
    '2010-05-08': { xmlns: IAM_XMLNS, service: 'iam', actions: iamActions },
  };

  const record = (call: Omit<CallRecord, 'role' | 'error'>, caller: CallerIdentity | undefined, error: string | undefined) =>
    calls.push({ ...call, ...(caller ? { role: caller.roleArn } : {}), ...(call.status !== 200 && error ? { error } : {}) });

  const answerJson = async (response: ServerResponse, target: string, body: string, request: IncomingMessage): Promise<void> => {
    const caller = callerOf(request);
    const [prefix = '', operation = ''] = target.split('.');
    const service = prefix === 'RedshiftData' ? 'redshift-data' : 'redshift-serverless';
    const send = (status: number, payload: unknown) => {
      record({ service, operation, status }, caller, status === 200 ? undefined : String((payload as { __type?: unknown }).__type));
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
      response.end(toJson(payload));
    };
    try {
      const handler = json[prefix]?.[operation];
      if (!handler) throw new ApiError('UnknownOperationException', `The rehearsal does not serve ${target}`, 400);
      const input = parseBody(body);
      if (caller) {
        const needed = permissionsFor(account, operation, { get: (name) => input[name] }, (id) => owners.get(id), caller);
        authorize(account, caller, needed, 'AccessDeniedException');
      }
      // The database user of the IAM identity mode: 'IAMR:<role>' for a role, 'IAM:<user>' for a user
      // (an access key the server does not know stands for the IAM user of that name).
      const dbUser = caller
        ? `IAMR:${caller.roleArn.split('/').pop() ?? ''}`
        : `IAM:${accessKeyOf(request.headers.authorization) ?? 'anonymous'}`;
      if (caller) {
        const role = account.roles.find((r) => r.arn === caller.roleArn);
        const tagged = role?.tags?.[DB_ROLES_TAG];
        dataApi.mapIdentity(dbUser, tagged ? tagged.split(':').filter((name) => name !== '') : []);
      }
      const output = await handler(input, dbUser);
      if (caller && typeof output.Id === 'string' && !owners.has(output.Id)) owners.set(output.Id, userId(caller));
      send(200, output);
    } catch (error) {
      const e = error instanceof ApiError ? error : new ApiError('InternalServerException', (error as Error).message, 500);
      send(e.status, { __type: e.type, message: e.message, ...e.members });
    }
  };

  const answerQuery = (response: ServerResponse, body: string, caller: CallerIdentity | undefined): void => {
    const params = new URLSearchParams(body);
    const action = params.get('Action') ?? '';
    const api = query[params.get('Version') ?? ''];
    const send = (status: number, text: string) => {
      record({ service: api?.service ?? 'iam', operation: action, status }, caller, /<Code>([^<]*)<\/Code>/.exec(text)?.[1]);
      response.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() });
      response.end(text);
    };
    const xmlns = api?.xmlns ?? IAM_XMLNS;
    try {
      const handler = api?.actions[action];
      if (!handler) throw new ApiError('InvalidAction', `The action ${action} is not valid for this web service (rehearsal).`, 400);
      if (caller)
        authorize(
          account,
          caller,
          permissionsFor(account, action, params, () => undefined, caller),
          'AccessDenied',
        );
      send(200, queryResponse(action, xmlns, handler(params)));
    } catch (error) {
      const e = error instanceof ApiError ? error : new ApiError('InternalFailure', (error as Error).message, 500);
      send(e.status, queryError(e, xmlns));
    }
  };

  const s3 = new LocalS3(options.buckets, options.s3PageSize);
  const answerS3 = async (response: ServerResponse, raw: Buffer, request: IncomingMessage): Promise<void> => {
    const caller = callerOf(request);
    let operation = `${request.method ?? '?'} ${request.url ?? ''}`;
    const send = (status: number, text: string, headers: Record<string, string> = {}) => {
      record({ service: 's3', operation, status }, caller, /<Code>([^<]*)<\/Code>/.exec(text)?.[1]);
      response.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': randomUUID(), ...headers });
      response.end(text);
    };
    try {
      const call = s3Request(request.method ?? '', request.url ?? '/');
      operation = call.operation;
      if (caller) {
        const needed = permissionsFor(
          account,
          call.operation,
          { get: (name) => (name === 'Bucket' ? call.bucket : name === 'Key' ? call.key : (call.params.get(name) ?? undefined)) },
          () => undefined,
          caller,
        );
        authorize(account, caller, needed, 'AccessDenied');
      }
      if (call.operation === 'ListObjectsV2') return send(200, await s3.listObjectsV2(call.bucket, call.params));
      const chunked = /aws-chunked/.test(String(request.headers['content-encoding'] ?? ''));
      const body = chunked ? decodeAwsChunked(raw) : raw;
      const etag = await s3.putObject(call.bucket, call.key ?? '', body);
      if (etag !== etagOf(body)) throw new Error('the written object differs from the body');
      send(200, '', { etag });
    } catch (error) {
      const e = error instanceof ApiError ? error : new ApiError('InternalError', (error as Error).message, 500);
      send(e.status, s3Error(e));
    }
  };

  const server = createServer((request, response) => {
    void readBody(request).then(async (raw) => {
      if (isS3(request)) return answerS3(response, raw, request);
      const body = raw.toString('utf8');
      const target = request.headers['x-amz-target'];
      if (typeof target === 'string') return answerJson(response, target, body, request);
      answerQuery(response, body, callerOf(request));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    dataApi,
    account,
    calls,
    addIdentity(accessKeyId, identity) {
      identities.set(accessKeyId, identity);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dataApi.close();
    },
  };
}
