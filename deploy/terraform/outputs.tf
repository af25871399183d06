output "role_arn" {
  description = "The portal's role: the Helm chart's serviceAccount.annotations eks.amazonaws.com/role-arn with trust = irsa."
  value       = aws_iam_role.portal.arn
}

output "policy_arn" {
  description = "The portal's own policy, rendered from deploy/iam/portal-policy.json."
  value       = aws_iam_policy.portal.arn
}

output "user_permissions_boundary_arn" {
  description = "The boundary of the users' roles: set it as portal.provisioning.permissions-boundary-arn."
  value       = local.user_boundary_arn
}

output "instance_profile_name" {
  description = "The instance profile (trust = ec2), else null."
  value       = one(aws_iam_instance_profile.portal[*].name)
}

output "user_role_path" {
  description = "Set it as portal.provisioning.role-path."
  value       = var.user_role_path
}
