// Package imds is the EC2 instance metadata service (IMDS) of emulated
// instances: per instance, an HTTP endpoint on its own loopback port that
// answers like 169.254.169.254 does — IMDSv2 session tokens
// (PUT /latest/api/token), the meta-data tree, the instance identity
// document, and the role credentials of the instance profile, which the
// aws CLI (botocore) and aws-sdk-go-v2 pick up when
// AWS_EC2_METADATA_SERVICE_ENDPOINT points at the endpoint.
//
// An "instance" is no machine: whoever can reach the loopback port acts as
// the instance, exactly as any process on a real instance can reach its
// metadata service. IMDSv1 (GETs without a token) is refused unless the
// instance was launched with HttpTokens=optional.
//
// Role credentials are issued through the RoleCredentials interface (the
// STS side seals them) only while the role's trust policy lets
// ec2.amazonaws.com assume it; they are named after the instance
// (arn:aws:sts::ACCOUNT:assumed-role/ROLE/i-…), valid for six hours and
// rotated hourly.
package imds
