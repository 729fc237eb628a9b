#!/usr/bin/env bash
# Seed scenario 3 — switch role.
# A role in account B trusts account A's root; a policy in A allows
# sts:AssumeRole on it. Access works through role_arn + source_profile,
# through `aws sts assume-role` + environment variables, and through
# credential_source = Ec2InstanceMetadata on an instance of A. Finally a
# bucket policy denying everything not coming through VPC endpoint
# vpce-1a2b3c4d refuses the main listener and allows the endpoint listener.
source "$(dirname "$0")/lib.sh"

account A
account B
BUCKET=b-shared-$B_ID
ok "B: bucket" -- aws --profile B s3 mb s3://$BUCKET
echo hello > "$WORK/hello.txt"
ok "B: object" -- aws --profile B s3 cp "$WORK/hello.txt" s3://$BUCKET/hello.txt

say "B: role trusting account A, allowed to read the bucket"
ok "create-role" -- aws --profile B iam create-role --role-name cross-reader --assume-role-policy-document \
  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::$A_ID:root\"},\"Action\":\"sts:AssumeRole\"}]}"
ok "put-role-policy" -- aws --profile B iam put-role-policy --role-name cross-reader --policy-name read --policy-document \
  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:ListBucket\",\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::$BUCKET\",\"arn:aws:s3:::$BUCKET/*\"]}]}"
ROLE=arn:aws:iam::$B_ID:role/cross-reader
ASSUME="{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"$ROLE\"}]}"

say "A: a user allowed to assume it, and one who is not"
user A dev "$ASSUME"
user A intern
denied "intern cannot assume the role" -- aws --profile intern sts assume-role --role-arn $ROLE --role-session-name x1

say "1) role_arn + source_profile"
config_profile dev-in-b "role_arn = $ROLE" "source_profile = dev"
ok "ls through the profile" -- aws --profile dev-in-b s3 ls s3://$BUCKET/
denied "the role cannot write" -- aws --profile dev-in-b s3 cp "$WORK/hello.txt" s3://$BUCKET/new.txt

say "2) aws sts assume-role, exported variables, then back"
ok "assume-role" -- aws --profile dev sts assume-role --role-arn $ROLE --role-session-name dev-cli
CREDS=$LAST_OUT
ok "ls as the session" -- env AWS_ACCESS_KEY_ID="$(jq_get "$CREDS" Credentials.AccessKeyId)" \
  AWS_SECRET_ACCESS_KEY="$(jq_get "$CREDS" Credentials.SecretAccessKey)" AWS_SESSION_TOKEN="$(jq_get "$CREDS" Credentials.SessionToken)" \
  aws s3 ls s3://$BUCKET/
ok "identity as the session" -- env AWS_ACCESS_KEY_ID="$(jq_get "$CREDS" Credentials.AccessKeyId)" \
  AWS_SECRET_ACCESS_KEY="$(jq_get "$CREDS" Credentials.SecretAccessKey)" AWS_SESSION_TOKEN="$(jq_get "$CREDS" Credentials.SessionToken)" \
  aws sts get-caller-identity
expect_eq "session identity" "$(jq_get "$LAST_OUT" Arn)" "arn:aws:sts::$B_ID:assumed-role/cross-reader/dev-cli"
ok "unset: back to dev" -- aws --profile dev sts get-caller-identity
expect_eq "identity after unset" "$(jq_get "$LAST_OUT" Arn)" "arn:aws:iam::$A_ID:user/dev"

say "3) credential_source = Ec2InstanceMetadata on an instance of A"
ec2_role A app-server "$ASSUME"
instance A app-server IMDS
config_profile b-from-instance "role_arn = $ROLE" "credential_source = Ec2InstanceMetadata" "role_session_name = from-instance"
ok "instance identity" -- on_instance "$IMDS" aws sts get-caller-identity
expect_eq "instance role" "$(jq_get "$LAST_OUT" Arn | cut -d/ -f1-2)" "arn:aws:sts::$A_ID:assumed-role/app-server"
ok "ls from the instance through the role" -- on_instance "$IMDS" aws --profile b-from-instance s3 ls s3://$BUCKET/

say "4) bucket policy: deny everything not through vpce-1a2b3c4d"
ok "put-bucket-policy" -- aws --profile B s3api put-bucket-policy --bucket $BUCKET --policy \
  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"OnlyThroughVPCE\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::$BUCKET\",\"arn:aws:s3:::$BUCKET/*\"],\"Condition\":{\"StringNotEquals\":{\"aws:SourceVpce\":\"vpce-1a2b3c4d\"}}}]}"
denied "the role on the main listener" -- aws --profile dev-in-b s3 ls s3://$BUCKET/
denied "even B's root on the main listener" -- aws --profile B s3 ls s3://$BUCKET/
ok "the role through the VPC endpoint" -- aws --profile dev-in-b --endpoint-url "$VPCE_URL" s3 ls s3://$BUCKET/
ok "B's root through the VPC endpoint removes the policy" -- aws --profile B --endpoint-url "$VPCE_URL" s3api delete-bucket-policy --bucket $BUCKET

done_scenario
