variable "name" {
  description = "Name of the portal's IAM role, its policy and (for EC2) its instance profile."
  type        = string
  default     = "transfer-portal"
}

variable "portal_role_path" {
  description = "IAM path of the portal's own role and policies. Never under user_role_path: the portal may pass the roles there to Transfer."
  type        = string
  default     = "/"
}

variable "user_role_path" {
  description = "IAM path of the dedicated roles the portal creates for Transfer users (setting portal.provisioning.role-path)."
  type        = string
  default     = "/transfer-portal/"

  validation {
    condition     = can(regex("^/([\\x21-\\x7E]+/)?$", var.user_role_path))
    error_message = "user_role_path must start and end with a slash, as IAM paths do."
  }
}

variable "trust" {
  description = "How the portal gets its credentials: pod-identity (EKS Pod Identity), irsa (IAM roles for service accounts) or ec2 (an instance profile)."
  type        = string
  default     = "pod-identity"

  validation {
    condition     = contains(["pod-identity", "irsa", "ec2"], var.trust)
    error_message = "trust must be one of pod-identity, irsa, ec2."
  }
}

variable "namespace" {
  description = "Kubernetes namespace of the portal's service account (pod-identity and irsa)."
  type        = string
  default     = "transfer-portal"
}

variable "service_account" {
  description = "Name of the portal's Kubernetes service account (pod-identity and irsa): the Helm chart's release full name unless serviceAccount.name is set."
  type        = string
  default     = "transfer-portal"
}

variable "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider (irsa only), e.g. arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE."
  type        = string
  default     = ""
}

variable "eks_cluster_name" {
  description = "With trust = pod-identity: the cluster to create the pod identity association in. Empty: no association (create it elsewhere)."
  type        = string
  default     = ""
}

variable "user_permissions_boundary_arn" {
  description = "An existing managed policy to set as the permissions boundary of the users' roles. Empty: the module creates one from deploy/iam/user-role-boundary.json."
  type        = string
  default     = ""
}

variable "existing_role_paths" {
  description = "IAM paths of existing roles requests may name (setting portal.provisioning.existing-role-paths); the portal gets iam:PassRole on them, to Transfer only, and may write its inline KMS policy on the roles there tagged transfer-portal:role-policy = portal-managed."
  type        = list(string)
  default     = []
}

variable "portal_permissions_boundary_arn" {
  description = "Permissions boundary of the portal's own role, where the account requires one. Empty: none."
  type        = string
  default     = ""
}

variable "tags" {
  description = "Tags of everything the module creates."
  type        = map(string)
  default     = {}
}
