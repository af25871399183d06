# The portal's own IAM: its role (trusted by EKS Pod Identity, IRSA or EC2), its least-privilege policy rendered from
# deploy/iam/portal-policy.json, and the permissions boundary the portal must set on every role it creates.

data "aws_partition" "current" {}

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.name

  user_boundary_arn = (
    var.user_permissions_boundary_arn != ""
    ? var.user_permissions_boundary_arn
    : aws_iam_policy.user_boundary[0].arn
  )

  # oidc.eks.<region>.amazonaws.com/id/<id>: the prefix of IRSA's condition keys
  oidc_provider = try(split("oidc-provider/", var.oidc_provider_arn)[1], "")

  # EKS Pod Identity: the pods.eks.amazonaws.com service principal, with sts:TagSession for the session tags the
  # agent adds (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html)
  pod_identity_trust = {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EksPodIdentity"
      Effect    = "Allow"
      Principal = { Service = "pods.eks.amazonaws.com" }
      Action    = ["sts:AssumeRole", "sts:TagSession"]
    }]
  }

  # IRSA: the cluster's OIDC provider, for this namespace and service account only, with STS as the audience
  # (https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html)
  irsa_trust = {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EksServiceAccount"
      Effect    = "Allow"
      Principal = { Federated = var.oidc_provider_arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${local.oidc_provider}:sub" = "system:serviceaccount:${var.namespace}:${var.service_account}"
          "${local.oidc_provider}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  }

  # EC2: an instance profile (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html)
  ec2_trust = {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Ec2Instances"
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  }

  trust = {
    "pod-identity" = local.pod_identity_trust
    "irsa"         = local.irsa_trust
    "ec2"          = local.ec2_trust
  }[var.trust]
}

# The boundary of the users' roles: whatever policy the portal writes on a role, the role can do no more than a
# Transfer user needs (S3 objects and buckets, KMS through S3). Policies and boundary intersect
# (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html).
resource "aws_iam_policy" "user_boundary" {
  count = var.user_permissions_boundary_arn == "" ? 1 : 0

  name        = "${var.name}-user-boundary"
  path        = var.portal_role_path
  description = "Permissions boundary of the roles Transfer Portal creates for AWS Transfer Family users"
  policy = jsonencode(jsondecode(templatefile("${path.module}/../iam/user-role-boundary.json", {
    partition  = local.partition
    region     = local.region
    account_id = local.account_id
  })))
  tags = var.tags
}

# jsondecode then jsonencode: the policy without the template's white space, which counts against the 6,144
# characters of a managed policy (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html)
resource "aws_iam_policy" "portal" {
  name        = var.name
  path        = var.portal_role_path
  description = "Transfer Portal: provisions AWS Transfer Family users, their roles, bucket encryption and key policies"
  policy = jsonencode(jsondecode(templatefile("${path.module}/../iam/portal-policy.json", {
    partition                = local.partition
    region                   = local.region
    account_id               = local.account_id
    role_path                = var.user_role_path
    permissions_boundary_arn = local.user_boundary_arn
  })))
  tags = var.tags
}

# Existing roles (portal.provisioning.existing-role-paths), one policy per path: passed to Transfer like the portal's
# own ones, and given the portal's inline KMS policy (transfer-portal-kms-<key id>) only where the role's owner tagged
# it transfer-portal:role-policy = portal-managed
resource "aws_iam_policy" "existing_roles" {
  for_each = { for index, path in var.existing_role_paths : tostring(index) => path }

  name        = "${var.name}-existing-roles-${each.key}"
  path        = var.portal_role_path
  description = "Transfer Portal: existing roles under ${each.value}"
  policy = jsonencode(jsondecode(templatefile("${path.module}/../iam/portal-existing-roles-policy.json", {
    partition          = local.partition
    account_id         = local.account_id
    existing_role_path = each.value
  })))
  tags = var.tags
}

resource "aws_iam_role" "portal" {
  name                 = var.name
  path                 = var.portal_role_path
  description          = "Transfer Portal (${var.trust})"
  assume_role_policy   = jsonencode(local.trust)
  permissions_boundary = var.portal_permissions_boundary_arn != "" ? var.portal_permissions_boundary_arn : null
  tags                 = var.tags

  lifecycle {
    # the portal may pass and change the roles under user_role_path: its own role there would let it hand its
    # permissions to a Transfer user
    precondition {
      condition     = !startswith(var.portal_role_path, var.user_role_path)
      error_message = "portal_role_path must not be under user_role_path."
    }
    precondition {
      condition     = var.trust != "irsa" || local.oidc_provider != ""
      error_message = "trust = irsa needs oidc_provider_arn."
    }
  }
}

resource "aws_iam_role_policy_attachment" "portal" {
  role       = aws_iam_role.portal.name
  policy_arn = aws_iam_policy.portal.arn
}

resource "aws_iam_role_policy_attachment" "existing_roles" {
  for_each = aws_iam_policy.existing_roles

  role       = aws_iam_role.portal.name
  policy_arn = each.value.arn
}

resource "aws_iam_instance_profile" "portal" {
  count = var.trust == "ec2" ? 1 : 0

  name = var.name
  path = var.portal_role_path
  role = aws_iam_role.portal.name
  tags = var.tags
}

resource "aws_eks_pod_identity_association" "portal" {
  count = var.trust == "pod-identity" && var.eks_cluster_name != "" ? 1 : 0

  cluster_name    = var.eks_cluster_name
  namespace       = var.namespace
  service_account = var.service_account
  role_arn        = aws_iam_role.portal.arn
  tags            = var.tags
}
