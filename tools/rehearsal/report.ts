import path from 'node:path';
import type { GeneratedSummary } from '../generator/generate-dataset';
import { LOADED_TABLES } from '../../lib/rules/tables';
import type { SynthesizedStack } from './cloud-assembly';
import type { CustomResourceRequest } from './cloudformation';
import { stackOutputs, type DeployRecord, type LoadResource } from './deploy';
import { describeInvocation } from './handler-logs';
import type { LocalAws } from './local-aws';
import { invocationsOf } from './phase-checks';
import type { PhaseResult, RehearsalResult } from './results';

export function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

const count = (n: number) => n.toLocaleString('en-US');

/** An asset folder by the start of its hash, as the CDK CLI names assets. */
const short = (dir: string) => `${path.basename(dir).slice(0, 'asset.'.length + 12)}…`;

interface SetupFacts {
  readonly stack: SynthesizedStack;
  readonly aws: LocalAws;
  readonly load: LoadResource;
  readonly source: GeneratedSummary;
  readonly bucketDir: string;
  readonly bucket: string;
  readonly engine: string;
  readonly pollIntervalMs: number;
  readonly timings: Readonly<Record<string, number>>;
  readonly synthMode: string;
}

export function describeSetup(facts: SetupFacts): string[] {
  const { aws, load, stack } = facts;
  const props = load.properties;
  const loader = aws.lambda.find(String(props.ServiceToken));
  const handler = aws.lambda.find(loader.environment.USER_ON_EVENT_FUNCTION_ARN ?? '');
  const target =
    props.ClusterIdentifier !== undefined ? `cluster ${String(props.ClusterIdentifier)}` : `workgroup ${String(props.WorkgroupName)}`;
  const account = aws.server.account;
  const warehouse = account.clusters[0] ?? account.workgroups[0];
  const roles = (account.clusters[0]?.iamRoles ?? account.namespaces[0]?.iamRoles ?? [])
    .map((role) => `${role.arn.split('/').pop() ?? ''} ${role.applyStatus}`)
    .join(', ');
  const timing = (name: string) => seconds(facts.timings[name] ?? 0);
  return [
    'sparkify rehearsal: the deploy lifecycle with the real handler and the real AWS SDK, against a local AWS on 127.0.0.1',
    `  synth      ${stack.stackName} (${facts.synthMode}, bundled; ${timing('synth')}): ${load.type} ${load.logicalId} -> ${target}, database ${String(props.Database)}, LoadMode ${String(props.LoadMode)}`,
    `  handler    ${short(handler.codeDir)}/index.mjs with sql/ (${handler.handler}, ${handler.runtime}, role ${handler.roleArn.split('/').pop() ?? ''}), under the Provider framework's ${short(loader.codeDir)}/framework.js`,
    `  waiter     the template polls every ${aws.waiter.seconds} s, at most ${aws.waiter.attempts} times; rehearsed every ${facts.pollIntervalMs} ms`,
    `  account    ${account.accountId} ${account.region}: ${warehouse ? `${'identifier' in warehouse ? warehouse.identifier : warehouse.name} ${warehouse.status}` : 'no warehouse'}; role ${roles || 'none'}`,
    `  source     generated: ${count(facts.source.songFiles)} song files, ${count(facts.source.events)} events in ${facts.source.eventFiles} day files (${timing('source')}) as s3://${facts.bucket}/ at ${facts.bucketDir}`,
    `  engine     ${facts.engine} (${timing('engine')}); Data API sessions: ${aws.server.dataApi.sessionsDescribed}`,
    `  endpoint   ${aws.server.url} for ${Object.keys(aws.endpointEnv).join(', ')}`,
    '',
  ];
}

function rowsLine(rows: Readonly<Record<string, number>> | undefined): string {
  if (!rows) return 'no warehouse tables';
  return LOADED_TABLES.map((table) => `${table} ${count(rows[table] ?? 0)}`).join(' · ');
}

export function describePhase(
  index: number,
  phase: PhaseResult,
  record: DeployRecord,
  aws: LocalAws,
  request: CustomResourceRequest,
): string[] {
  const context = { aws, record, request };
  const outcome =
    phase.status === phase.expected
      ? `${phase.status}${phase.expected === 'FAILED' ? ' (as expected)' : ''}`
      : `${phase.status}, expected ${phase.expected}`;
  const lines = [`${phase.ok ? '✓' : '✗'} ${index}. ${phase.title}  ${outcome}  ${seconds(phase.ms)}`];
  if (phase.loadId) lines.push(`     load       ${phase.loadId}`);
  const onEvent = invocationsOf(context, 'onEvent');
  const isComplete = invocationsOf(context, 'isComplete');
  for (const invocation of onEvent)
    lines.push(`     onEvent    ${describeInvocation(invocation)} (${seconds(invocation.ms)}${invocation.cold ? ', cold' : ''})`);
  if (isComplete.length > 0)
    lines.push(
      `     isComplete ${isComplete.length} ${isComplete.length === 1 ? 'call' : 'calls'}: ${isComplete.map(describeInvocation).join(' | ')}`,
    );
  if (phase.status === 'FAILED') lines.push(`     reason     ${phase.reason.split('\n')[0] ?? ''}`);
  if (phase.status === 'SUCCESS' && phase.requestType !== 'Delete') {
    const outputs = stackOutputs(aws.context);
    const shown = Object.entries(outputs).filter(([name]) => name === 'LoadId' || name.startsWith('Rows'));
    lines.push(`     outputs    ${shown.map(([name, value]) => `${name} ${value}`).join(' · ')}`);
  }
  lines.push(`     rows       ${rowsLine(phase.rows)}`);
  for (const check of phase.checks)
    lines.push(`     ${check.ok ? '✓' : '✗'} ${check.text}${check.ok ? '' : `\n         saw: ${check.seen ?? '?'}`}`);
  lines.push('');
  return lines;
}

export function describeResult(result: RehearsalResult): string[] {
  const checks = result.phases.flatMap((phase) => phase.checks);
  const failed = checks.filter((check) => !check.ok).length;
  const phases = result.phases.map((phase) => `${phase.requestType} ${seconds(phase.ms)}`).join(', ');
  return [
    result.ok
      ? `Rehearsal passed: ${result.phases.length} phases, ${checks.length} expectations held; setup ${seconds(result.setupMs)}, total ${seconds(result.totalMs)} (${phases})`
      : `Rehearsal FAILED: ${failed} of ${checks.length} expectations did not hold${result.phases.length < 5 ? `, ${5 - result.phases.length} phases did not run` : ''}; total ${seconds(result.totalMs)}`,
  ];
}
