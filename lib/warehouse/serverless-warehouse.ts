import { Aws, Fn, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as rss from 'aws-cdk-lib/aws-redshiftserverless';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, type IDependable } from 'constructs';
import { ADMIN_USERNAME, wellKnownAdminUsername } from '../rules/admin-user';
import { portProblem } from '../rules/port';
import { WAREHOUSE_NAME } from '../rules/redshift-names';
import { follows, refusal } from '../rules/text-rule';
import { InvalidPropsError } from '../stack/invalid-props-error';
import { AUDIT_LOG_EXPORTS, type DataApiTarget, type IWarehouse, type WarehouseBaseProps } from './warehouse';

/** A final snapshot, with removalPolicy 'snapshot', is named `<name>-final-<stack UUID>`. */
export interface ServerlessWarehouseProps extends WarehouseBaseProps {
  /** The namespace's and the workgroup's name. */
  readonly name: string;
  /** Redshift Processing Units the workgroup starts queries with: 8 to 1024, in steps of 8. */
  readonly baseCapacity: number;
}

/**
 * Redshift Serverless with the provisioned cluster's posture: not publicly accessible, in the
 * isolated subnets, SSL required and user activity logged (workgroup parameters), audit logs
 * exported to CloudWatch, encrypted (always, for Serverless), and the admin password generated
 * by Secrets Manager into a secret of this stack, which the template only refers to.
 *
 * Not Redshift's ManageAdminPassword, as for the cluster: CloudFormation does not return the ARN
 * of the secret it makes for a namespace (cloudformation-coverage-roadmap#2021), and the loader
 * needs that ARN for the Data API.
 */
export class ServerlessWarehouse extends Construct implements IWarehouse {
  readonly namespace: rss.CfnNamespace;
  /** JSON with `username` and `password`: what the Data API takes as SecretArn. */
  readonly adminSecret: secretsmanager.Secret;
  readonly workgroup: rss.CfnWorkgroup;
  readonly endpointAddress: string;
  readonly endpointPort: string;
  readonly databaseName: string;
  readonly adminSecretArn: string;
  readonly dataApiTarget: DataApiTarget;
  readonly roleAttachment: IDependable;

  constructor(scope: Construct, id: string, props: ServerlessWarehouseProps) {
    super(scope, id);
    validate(this, props);

    this.adminSecret = new secretsmanager.Secret(this, 'AdminSecret', {
      description: `Admin user of the ${props.name} Redshift Serverless namespace (username and password)`,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: props.adminUsername }),
        generateStringKey: 'password',
        passwordLength: 32,
        // Redshift refuses ' " \ / @ and spaces in a password, and wants every kind of character.
        excludeCharacters: `'"\\/@ `,
        requireEachIncludedType: true,
      },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.adminSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating it needs a rotation Lambda inside the private VPC plus a Secrets Manager interface endpoint (billed by the hour); ' +
        "Redshift's own rotation (ManageAdminPassword) is out of reach because CloudFormation does not return that secret's ARN for a namespace.",
    });

    this.namespace = new rss.CfnNamespace(this, 'Namespace', {
      namespaceName: props.name,
      dbName: props.databaseName,
      adminUsername: props.adminUsername,
      // A dynamic reference: CloudFormation resolves it at deploy time; the password is never in the template.
      adminUserPassword: this.adminSecret.secretValueFromJson('password').unsafeUnwrap(),
      iamRoles: [props.sourceReadRole.roleArn],
      // Serverless writes these to the account's /aws/redshift/serverless/<log type> groups.
      logExports: [...AUDIT_LOG_EXPORTS],
      // Named after this stack instance (its id's UUID), so a later stack of the same name can keep its own.
      ...(props.removalPolicy === 'snapshot'
        ? { finalSnapshotName: Fn.join('-', [props.name, 'final', Fn.select(2, Fn.split('/', Aws.STACK_ID))]) }
        : {}),
    });

    this.workgroup = new rss.CfnWorkgroup(this, 'Workgroup', {
      workgroupName: props.name,
      namespaceName: props.name,
      baseCapacity: props.baseCapacity,
      port: props.port,
      publiclyAccessible: false,
      enhancedVpcRouting: props.enhancedVpcRouting,
      subnetIds: [...props.subnetIds],
      securityGroupIds: [props.securityGroup.securityGroupId],
      configParameters: [
        { parameterKey: 'require_ssl', parameterValue: 'true' },
        { parameterKey: 'enable_user_activity_logging', parameterValue: 'true' },
      ],
    });
    this.workgroup.node.addDependency(this.namespace);
    // 'snapshot' keeps data through FinalSnapshotName; the resources themselves always go.
    this.namespace.applyRemovalPolicy(RemovalPolicy.DESTROY);
    this.workgroup.applyRemovalPolicy(RemovalPolicy.DESTROY);

    this.endpointAddress = this.workgroup.attrWorkgroupEndpointAddress;
    // The configured port, as a string output (the attribute is a number).
    this.endpointPort = String(props.port);
    this.databaseName = props.databaseName;
    this.adminSecretArn = this.adminSecret.secretArn;
    this.dataApiTarget = {
      property: 'WorkgroupName',
      name: this.workgroup.attrWorkgroupWorkgroupName,
      arn: this.workgroup.attrWorkgroupWorkgroupArn,
      preflight: [
        { actions: ['redshift-serverless:GetWorkgroup'], resources: [this.workgroup.attrWorkgroupWorkgroupArn] },
        { actions: ['redshift-serverless:GetNamespace'], resources: [this.namespace.attrNamespaceNamespaceArn] },
      ],
    };
    // The Data API runs on the workgroup, which exists only once the namespace (and its role) does.
    this.roleAttachment = this.workgroup;
  }
}

function validate(scope: Construct, props: ServerlessWarehouseProps): void {
  const fail = (message: string) => {
    throw new InvalidPropsError(scope, message);
  };
  if (!follows(WAREHOUSE_NAME, props.name)) fail(refusal('name', props.name, WAREHOUSE_NAME));
  if (!Number.isInteger(props.baseCapacity) || props.baseCapacity < 8 || props.baseCapacity > 1024 || props.baseCapacity % 8 !== 0) {
    fail(`baseCapacity = ${props.baseCapacity}: use a multiple of 8 RPUs from 8 to 1024`);
  }
  const port = portProblem(props.port);
  if (port) fail(`port = ${props.port}: ${port}`);
  if (!follows(ADMIN_USERNAME, props.adminUsername)) fail(refusal('adminUsername', props.adminUsername, ADMIN_USERNAME));
  const wellKnown = wellKnownAdminUsername(props.adminUsername);
  if (wellKnown) fail(`adminUsername = ${JSON.stringify(props.adminUsername)}: ${wellKnown}`);
  if (props.subnetIds.length < 3)
    fail(`subnetIds has ${props.subnetIds.length}: Redshift Serverless needs subnets in at least three zones`);
}
