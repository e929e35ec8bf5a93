import { RedshiftDataClient, type ColumnMetadata, type GetStatementResultCommandOutput } from '@aws-sdk/client-redshift-data';
import { DEFAULT_RETRY, fieldValue, runQuery } from '../lambda/loader/data-api';
import { utcDate } from '../local/timestamp';
import { kindOfTypeName, uniqueNames, type ColumnKind, type ResultSet } from '../local/format-table';

/** A deployed warehouse as the stack's outputs name it. */
export interface DeployedWarehouse {
  readonly region: string;
  readonly database: string;
  /** The database user a cluster query signs in as with temporary credentials (the AnalystDbUser output). */
  readonly dbUser?: string;
  /** The admin secret (the AdminSecretArn output): only when asked for; analysts need none. */
  readonly secretArn?: string;
  readonly target: { readonly clusterIdentifier: string } | { readonly workgroupName: string };
  /** The shared-config profile to sign requests with (--profile); else the SDK's default chain (AWS_PROFILE, ...). */
  readonly profile?: string;
}

/**
 * Runs one statement on the deployed warehouse through the Redshift Data API, with the loader's
 * own query runner (retries, polling, typed fields), and returns every column in order with its
 * type: the pages of GetStatementResult are kept as they pass (runQuery's rows are keyed by name,
 * so two columns of one name would collapse). Endpoints follow the SDK's standard
 * AWS_ENDPOINT_URL_* variables, so the rehearsal's local Data API answers it in tests.
 */
export async function queryDeployedResult(warehouse: DeployedWarehouse, sql: string): Promise<ResultSet> {
  // The SDK's nine-line notice that its releases after January 2027 need Node 22 is for whoever
  // upgrades the dependencies, not for each query a user runs: said once in docs/cli.md, not here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const data = new RedshiftDataClient({ region: warehouse.region, ...(warehouse.profile ? { profile: warehouse.profile } : {}) });
  const pages: GetStatementResultCommandOutput[] = [];
  data.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'GetStatementResultCommand') pages.push(result.output as GetStatementResultCommandOutput);
      return result;
    },
    { step: 'initialize', name: 'sparkifyKeepResultPages' },
  );
  try {
    await runQuery(
      {
        data,
        retry: DEFAULT_RETRY,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        now: () => Date.now(),
        log: { info: () => undefined, warn: () => undefined, error: () => undefined },
        queryPollMs: 500,
        queryTimeoutMs: 15 * 60_000,
      },
      {
        loadId: 'cli',
        database: warehouse.database,
        target: warehouse.target,
        ...(warehouse.dbUser ? { dbUser: warehouse.dbUser } : {}),
        ...(warehouse.secretArn ? { secretArn: warehouse.secretArn } : {}),
      },
      sql,
    );
  } catch (error) {
    throw reachError(error, warehouse) ?? error;
  } finally {
    data.destroy();
  }
  return resultFromPages(pages);
}

/**
 * A failure to reach the Data API at all, as one sentence with its fix: no credentials, expired
 * ones, a profile that does not exist, no network. Anything else (an SQL error, access denied)
 * already says what it is, and is left as it is.
 */
export function reachError(error: unknown, warehouse: DeployedWarehouse): Error | undefined {
  const { name = '', message = '', code = '' } = error as { name?: string; message?: string; code?: string };
  const profile = warehouse.profile ? ` (profile ${warehouse.profile})` : '';
  if (name === 'CredentialsProviderError')
    return new Error(
      warehouse.profile
        ? `no AWS credentials for profile ${warehouse.profile}: check that ~/.aws/config or ~/.aws/credentials has it, and sign in ('aws sso login --profile ${warehouse.profile}')`
        : "no AWS credentials found: sign in first ('aws configure', or 'aws sso login --profile NAME'), then pass --profile NAME or set AWS_PROFILE",
    );
  if (
    ['ExpiredTokenException', 'ExpiredToken', 'TokenRefreshRequired'].includes(name) ||
    (/expired/i.test(message) && /token|credential/i.test(message))
  )
    return new Error(`your AWS credentials${profile} have expired: sign in again ('aws sso login', or new keys), then rerun`);
  const network = ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH'];
  const networkCode = network.find((each) => code === each || message.includes(each));
  if (networkCode || name === 'TimeoutError')
    return new Error(
      `cannot reach the Redshift Data API in ${warehouse.region} (${networkCode ?? 'timed out'}): check the network or proxy (HTTPS_PROXY), and --region`,
    );
  return undefined;
}

/**
 * Data API pages as a result set, values as the offline engines give them: the service sends
 * DATE and TIMESTAMP as text ("2018-11-01 00:09:53.796"), read here as UTC like the engines do,
 * and NUMERIC as its digits; so `--json` and the table print the same on both sides.
 */
export function resultFromPages(pages: readonly GetStatementResultCommandOutput[]): ResultSet {
  const metadata: ColumnMetadata[] = pages.find((page) => page.ColumnMetadata)?.ColumnMetadata ?? [];
  const names = uniqueNames(metadata.map((column, i) => column.label ?? column.name ?? `column_${i + 1}`));
  const kinds = metadata.map((column) => kindOfTypeName(column.typeName));
  const rows = pages.flatMap((page) =>
    (page.Records ?? []).map((record) => record.map((field, i) => typedValue(fieldValue(field), kinds[i]))),
  );
  return { columns: names.map((name, i) => ({ name, kind: kinds[i] ?? 'other' })), rows };
}

function typedValue(value: string | number | boolean | null, kind: ColumnKind | undefined): unknown {
  if (typeof value === 'string' && (kind === 'date' || kind === 'timestamp' || kind === 'timestamptz')) return utcDate(value);
  return value;
}
