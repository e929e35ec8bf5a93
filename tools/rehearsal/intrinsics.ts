import { createHash } from 'node:crypto';

/** A CloudFormation template, as far as the rehearsal reads it. */
interface CfnResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
  readonly DependsOn?: string | readonly string[];
}

export interface CfnTemplate {
  readonly Resources: Readonly<Record<string, CfnResource>>;
  readonly Outputs?: Readonly<Record<string, { readonly Value: unknown; readonly Description?: string }>>;
  readonly Parameters?: Readonly<Record<string, { readonly Default?: unknown }>>;
}

export interface StackContext {
  readonly template: CfnTemplate;
  readonly stackName: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /** A custom resource's attributes (its Data), once CloudFormation has them. */
  readonly customAttributes?: (logicalId: string) => Readonly<Record<string, unknown>> | undefined;
}

/** A reference the rehearsal cannot resolve: names it, so the resolver can be taught. */
class UnresolvableError extends Error {
  constructor(what: string) {
    super(`the rehearsal cannot resolve ${what}: teach tools/rehearsal/intrinsics.ts (or physical-names.ts) this reference`);
    this.name = 'UnresolvableError';
  }
}

/** What CloudFormation makes up where a name is not given: deterministic here, so runs compare. */
export function suffix(stack: StackContext, logicalId: string, length = 12): string {
  const digest = createHash('sha256').update(`${stack.stackName}/${logicalId}`).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return [...digest.subarray(0, length)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

/** CloudFormation's generated name: stack and logical id, cut to fit, and a random-looking suffix. */
function generatedName(stack: StackContext, logicalId: string, max = 64): string {
  const tail = `-${suffix(stack, logicalId)}`;
  return `${stack.stackName}-${logicalId}`.slice(0, max - tail.length) + tail;
}

function resource(stack: StackContext, logicalId: string): CfnResource {
  const found = stack.template.Resources[logicalId];
  if (!found) throw new UnresolvableError(`a reference to '${logicalId}', which the template does not define`);
  return found;
}

function prop(stack: StackContext, logicalId: string, name: string): string | undefined {
  const value = resource(stack, logicalId).Properties?.[name];
  return value === undefined ? undefined : String(resolve(stack, value));
}

export function arn(stack: StackContext, service: string, rest: string, regional = true): string {
  return `arn:${stack.partition}:${service}:${regional ? stack.region : ''}:${stack.accountId}:${rest}`;
}

/** Ref of a resource: its physical id, as CloudFormation gives it per type. */
export function ref(stack: StackContext, logicalId: string): string {
  const pseudo: Record<string, string> = {
    'AWS::AccountId': stack.accountId,
    'AWS::Region': stack.region,
    'AWS::Partition': stack.partition,
    'AWS::StackName': stack.stackName,
    'AWS::StackId': arn(stack, 'cloudformation', `stack/${stack.stackName}/${suffix(stack, 'stack-id', 8).toLowerCase()}`),
    'AWS::URLSuffix': 'amazonaws.com',
  };
  if (pseudo[logicalId] !== undefined) return pseudo[logicalId];
  const parameter = stack.template.Parameters?.[logicalId];
  if (parameter) return String(parameter.Default ?? '');
  const { Type } = resource(stack, logicalId);
  const named = (property: string, lower = false) =>
    prop(stack, logicalId, property) ?? (lower ? generatedName(stack, logicalId).toLowerCase() : generatedName(stack, logicalId));
  switch (Type) {
    case 'AWS::Redshift::Cluster':
      return named('ClusterIdentifier', true);
    case 'AWS::RedshiftServerless::Workgroup':
      return named('WorkgroupName', true);
    case 'AWS::RedshiftServerless::Namespace':
      return named('NamespaceName', true);
    case 'AWS::IAM::Role':
      return named('RoleName');
    case 'AWS::Lambda::Function':
      return named('FunctionName');
    case 'AWS::Logs::LogGroup':
      return named('LogGroupName');
    case 'AWS::StepFunctions::StateMachine':
      return arn(stack, 'states', `stateMachine:${named('StateMachineName')}`);
    case 'AWS::S3::Bucket':
      // Bucket names are lower case, at most 63 characters.
      return prop(stack, logicalId, 'BucketName') ?? generatedName(stack, logicalId, 63).toLowerCase();
    case 'AWS::SNS::Topic':
      return arn(stack, 'sns', named('TopicName'));
    case 'AWS::SQS::Queue':
      return `https://sqs.${stack.region}.amazonaws.com/${stack.accountId}/${named('QueueName')}`;
    case 'AWS::SecretsManager::Secret':
      return arn(stack, 'secretsmanager', `secret:${named('Name')}-${suffix(stack, logicalId, 6)}`);
    default:
      if (Type.startsWith('AWS::EC2::'))
        return `${Type.slice('AWS::EC2::'.length).toLowerCase()}-${suffix(stack, logicalId, 17).toLowerCase()}`;
      return generatedName(stack, logicalId);
  }
}

/** Fn::GetAtt of the attributes the stack's wiring uses. */
export function getAtt(stack: StackContext, logicalId: string, attribute: string): unknown {
  const { Type } = resource(stack, logicalId);
  const name = () => ref(stack, logicalId);
  // The admin secret Redshift manages is named 'redshift!<cluster or namespace>-<user>'.
  const adminSecret = (user: string) =>
    arn(stack, 'secretsmanager', `secret:redshift!${name()}-${prop(stack, logicalId, user) ?? 'admin'}-${suffix(stack, logicalId, 6)}`);
  const uuid = `${suffix(stack, logicalId, 8)}-0000-4000-8000-${suffix(stack, `${logicalId}/id`, 12)}`.toLowerCase();
  const serverlessArn = (kind: string) => arn(stack, 'redshift-serverless', `${kind}/${uuid}`);
  switch (`${Type}.${attribute}`) {
    case 'AWS::IAM::Role.Arn':
      return arn(stack, 'iam', `role${prop(stack, logicalId, 'Path') ?? '/'}${name()}`, false);
    case 'AWS::IAM::Role.RoleId':
      return `AROA${suffix(stack, logicalId, 17)}`;
    case 'AWS::Lambda::Function.Arn':
      return arn(stack, 'lambda', `function:${name()}`);
    case 'AWS::Logs::LogGroup.Arn':
      return arn(stack, 'logs', `log-group:${name()}:*`);
    case 'AWS::StepFunctions::StateMachine.Arn':
      return name();
    case 'AWS::Redshift::Cluster.MasterPasswordSecretArn':
      return adminSecret('MasterUsername');
    case 'AWS::Redshift::Cluster.Endpoint.Address':
      return `${name()}.${suffix(stack, logicalId, 12).toLowerCase()}.${stack.region}.redshift.amazonaws.com`;
    case 'AWS::Redshift::Cluster.Endpoint.Port':
    case 'AWS::RedshiftServerless::Workgroup.Workgroup.Endpoint.Port':
      return prop(stack, logicalId, 'Port') ?? '5439';
    case 'AWS::RedshiftServerless::Namespace.Namespace.AdminPasswordSecretArn':
      return adminSecret('AdminUsername');
    case 'AWS::RedshiftServerless::Namespace.Namespace.NamespaceName':
    case 'AWS::RedshiftServerless::Workgroup.Workgroup.WorkgroupName':
      return name();
    case 'AWS::RedshiftServerless::Namespace.Namespace.NamespaceArn':
      return serverlessArn('namespace');
    case 'AWS::RedshiftServerless::Workgroup.Workgroup.WorkgroupArn':
      return serverlessArn('workgroup');
    case 'AWS::RedshiftServerless::Workgroup.Workgroup.Endpoint.Address':
      return `${name()}.${stack.accountId}.${stack.region}.redshift-serverless.amazonaws.com`;
    case 'AWS::S3::Bucket.Arn':
      return `arn:${stack.partition}:s3:::${name()}`;
    case 'AWS::SQS::Queue.Arn':
      return arn(stack, 'sqs', name().split('/').pop() ?? '');
    case 'AWS::SNS::Topic.TopicArn':
      return name();
    case 'AWS::Events::Rule.Arn':
      return arn(stack, 'events', `rule/${name()}`);
    case 'AWS::EC2::SecurityGroup.GroupId':
      return `sg-${suffix(stack, logicalId, 17).toLowerCase()}`;
    case 'AWS::EC2::VPC.DefaultSecurityGroup':
      return `sg-${suffix(stack, `${logicalId}-default`, 17).toLowerCase()}`;
  }
  if (Type.startsWith('Custom::') || Type === 'AWS::CloudFormation::CustomResource') {
    const data = stack.customAttributes?.(logicalId);
    if (!data) throw new UnresolvableError(`Fn::GetAtt ${logicalId}.${attribute} before the custom resource has answered`);
    // CloudFormation's own wording when a custom resource's Data lacks an attribute the template reads.
    if (!(attribute in data))
      throw new Error(`CustomResource attribute error: Vendor response doesn't contain ${attribute} key in object ${logicalId}`);
    return data[attribute];
  }
  throw new UnresolvableError(`Fn::GetAtt ${logicalId}.${attribute} (${Type})`);
}

/** Resolves every intrinsic function in a template value; AWS::NoValue drops the member. */
export function resolve(stack: StackContext, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => resolve(stack, item)).filter((item) => item !== NO_VALUE);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const [only] = entries;
  if (entries.length === 1 && only && (only[0] === 'Ref' || only[0].startsWith('Fn::'))) return intrinsic(stack, only[0], only[1]);
  return Object.fromEntries(entries.map(([key, item]) => [key, resolve(stack, item)]).filter(([, item]) => item !== NO_VALUE));
}

const NO_VALUE = Symbol('AWS::NoValue');

function intrinsic(stack: StackContext, name: string, argument: unknown): unknown {
  const args = resolve(stack, argument);
  switch (name) {
    case 'Ref':
      return args === 'AWS::NoValue' ? NO_VALUE : ref(stack, String(args));
    case 'Fn::GetAtt': {
      const [logicalId, ...attribute] = Array.isArray(args) ? args.map(String) : String(args).split('.');
      return getAtt(stack, logicalId ?? '', attribute.join('.'));
    }
    case 'Fn::Join': {
      const [separator, parts] = args as [string, unknown[]];
      return parts.map(String).join(separator);
    }
    case 'Fn::Select': {
      const [index, list] = args as [string | number, unknown[]];
      return list[Number(index)];
    }
    case 'Fn::Split': {
      const [separator, text] = args as [string, string];
      return text.split(separator);
    }
    case 'Fn::GetAZs':
      return ['a', 'b', 'c'].map((zone) => `${stack.region}${zone}`);
    case 'Fn::Sub':
      return substitute(stack, args);
    default:
      throw new UnresolvableError(name);
  }
}

function substitute(stack: StackContext, args: unknown): string {
  const [text, variables] = Array.isArray(args) ? (args as [string, Record<string, unknown>]) : [String(args), {}];
  return text.replace(/\$\{(!?)([^}]+)\}/g, (_match, literal: string, name: string) => {
    if (literal) return `\${${name}}`;
    if (variables[name] !== undefined) return String(variables[name]);
    const [logicalId = '', ...attribute] = name.split('.');
    return attribute.length > 0 ? String(getAtt(stack, logicalId, attribute.join('.'))) : ref(stack, logicalId);
  });
}
