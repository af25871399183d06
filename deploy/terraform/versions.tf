terraform {
  # startswith() and lifecycle preconditions
  required_version = ">= 1.3"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # aws_eks_pod_identity_association arrived in 5.31
      version = ">= 5.31, < 7.0"
    }
  }
}
