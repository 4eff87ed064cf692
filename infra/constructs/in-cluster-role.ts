// An IAM role for running the same controller code inside the cluster (DESIGN §7), for teams that prefer a
// Deployment to Lambda: EKS Pod Identity by default, IRSA when an OIDC provider is given. It gets the controller
// policy and the interruption queue; its Kubernetes permissions come from the same ClusterRole, bound to the
// service account (cluster-access.ts).

import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { validateClusterName, validateOidcProviderArn, validateServiceAccount } from './validate-props.js';

export interface InClusterRoleProps {
  readonly clusterName: string;
  /** `<namespace>/<service account>` the controller pods run as. */
  readonly serviceAccount: string;
  /**
   * The cluster's IAM OIDC provider: when given, the role trusts that service account's web identity (IRSA).
   * @default - EKS Pod Identity: the role trusts pods.eks.amazonaws.com and a pod identity association is created
   */
  readonly oidcProviderArn?: string;
}

export class InClusterRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: InClusterRoleProps) {
    super(scope, id);
    validateClusterName(this, props.clusterName);
    const { namespace, name } = validateServiceAccount(this, 'inClusterServiceAccount', props.serviceAccount);
    const description = `fleetwright controller pods (${namespace}/${name}) in EKS cluster ${props.clusterName}`;

    if (props.oidcProviderArn === undefined) {
      this.role = new iam.Role(this, 'Resource', {
        description,
        assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com').withSessionTags(),
      });
      new eks.CfnPodIdentityAssociation(this, 'PodIdentityAssociation', {
        clusterName: props.clusterName,
        namespace,
        serviceAccount: name,
        roleArn: this.role.roleArn,
      });
    } else {
      const issuer = validateOidcProviderArn(this, 'inClusterOidcProviderArn', props.oidcProviderArn);
      this.role = new iam.Role(this, 'Resource', {
        description,
        assumedBy: new iam.WebIdentityPrincipal(props.oidcProviderArn, {
          StringEquals: {
            [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${name}`,
            [`${issuer}:aud`]: 'sts.amazonaws.com',
          },
        }),
      });
    }
  }
}
