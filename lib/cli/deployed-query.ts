import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { DEFAULT_RETRY, runQuery, type Row } from '../../lambda/loader/data-api';

/** A deployed warehouse as the stack's outputs name it. */
export interface DeployedWarehouse {
  readonly region: string;
  readonly database: string;
  /** The stack's AdminSecretArn output. */
  readonly secretArn: string;
  readonly target: { readonly clusterIdentifier: string } | { readonly workgroupName: string };
}

/**
 * Runs one statement on the deployed warehouse through the Redshift Data API, with the loader's
 * own query runner (retries, polling, typed fields). Endpoints follow the SDK's standard
 * AWS_ENDPOINT_URL_* variables, so the rehearsal's local Data API answers it in tests.
 */
export async function queryDeployed(warehouse: DeployedWarehouse, sql: string): Promise<Row[]> {
  const data = new RedshiftDataClient({ region: warehouse.region });
  try {
    return await runQuery(
      {
        data,
        retry: DEFAULT_RETRY,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        now: () => Date.now(),
        log: { info: () => undefined, warn: () => undefined, error: () => undefined },
        queryPollMs: 500,
        queryTimeoutMs: 15 * 60_000,
      },
      { loadId: 'cli', database: warehouse.database, secretArn: warehouse.secretArn, target: warehouse.target },
      sql,
    );
  } finally {
    data.destroy();
  }
}
