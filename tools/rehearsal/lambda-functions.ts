import type { SynthesizedStack } from './cloud-assembly';
import { getAtt, ref, resolve, suffix, type StackContext } from './intrinsics';

/** A Lambda function of the template, resolved: what the rehearsal's Lambda service runs. */
export interface LambdaFunction {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** 'file.export', e.g. 'index.onEvent'. */
  readonly handler: string;
  readonly runtime: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** Environment.Variables, every reference resolved. */
  readonly environment: Readonly<Record<string, string>>;
  /** The synthesized asset folder of its code (what the zip in S3 would hold). */
  readonly codeDir: string;
  readonly codeKey: string;
  readonly logGroupName: string;
  /** LoggingConfig.ApplicationLogLevel, when the function filters its logs by level. */
  readonly logLevel?: string;
  /** Its execution role, and the access key id of the temporary credentials Lambda gives it. */
  readonly roleArn: string;
  readonly roleId: string;
  readonly accessKeyId: string;
}

export function functionsFromTemplate(stack: SynthesizedStack, context: StackContext): LambdaFunction[] {
  return Object.entries(stack.template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
    .map(([logicalId, resource]) => {
      const props = resolve(context, resource.Properties ?? {}) as {
        Handler?: string;
        Runtime?: string;
        Timeout?: number;
        MemorySize?: number;
        Code?: { S3Key?: string; ZipFile?: string };
        Environment?: { Variables?: Record<string, unknown> };
        LoggingConfig?: { LogGroup?: string; ApplicationLogLevel?: string };
      };
      const codeKey = props.Code?.S3Key ?? '';
      const codeDir = stack.assetFolders.get(codeKey);
      if (!codeDir) throw new Error(`function ${logicalId}: no asset folder for code ${codeKey || '(inline code)'} in ${stack.outdir}`);
      const name = ref(context, logicalId);
      const role = resource.Properties?.Role as { 'Fn::GetAtt'?: [string, string] } | undefined;
      const roleLogicalId = role?.['Fn::GetAtt']?.[0];
      return {
        logicalId,
        name,
        arn: String(getAtt(context, logicalId, 'Arn')),
        handler: props.Handler ?? 'index.handler',
        runtime: props.Runtime ?? 'nodejs',
        timeoutSeconds: props.Timeout ?? 3,
        memoryMb: props.MemorySize ?? 128,
        environment: Object.fromEntries(Object.entries(props.Environment?.Variables ?? {}).map(([key, value]) => [key, String(value)])),
        codeDir,
        codeKey,
        logGroupName: props.LoggingConfig?.LogGroup ?? `/aws/lambda/${name}`,
        ...(props.LoggingConfig?.ApplicationLogLevel ? { logLevel: props.LoggingConfig.ApplicationLogLevel } : {}),
        roleArn: String(resolve(context, resource.Properties?.Role ?? '')),
        roleId: roleLogicalId ? String(getAtt(context, roleLogicalId, 'RoleId')) : `AROA${suffix(context, `${logicalId}/role`, 17)}`,
        accessKeyId: `ASIA${suffix(context, `${logicalId}/credentials`, 16)}`,
      };
    });
}
