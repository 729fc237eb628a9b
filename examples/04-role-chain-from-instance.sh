#!/usr/bin/env bash
# Seed scenario 4 — role chain from an instance.
# role-02 in account 2 trusts ec2.amazonaws.com and may assume role-01 in
# account 1, which trusts role-02 by ARN. An instance in account 2 with
# instance profile role-02 lists account 1's bucket only after assuming
# role-01 (AccessDenied before).
# (role-02 is created first: IAM refuses a trust policy naming a role that does not exist.)
source "$(dirname "$0")/lib.sh"

account one
account two
BUCKET=bucket-1-$one_ID
ok "account 1: bucket" -- aws --profile one s3 mb s3://$BUCKET
echo data > "$WORK/d.txt"
ok "account 1: object" -- aws --profile one s3 cp "$WORK/d.txt" s3://$BUCKET/d.txt

say "account 2: role-02 for the instance, allowed to assume role-01"
ec2_role two role-02 "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"arn:aws:iam::$one_ID:role/role-01\"}]}"
say "account 1: role-01 trusting role-02 of account 2"
ok "create role-01" -- aws --profile one iam create-role --role-name role-01 --assume-role-policy-document \
  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::$two_ID:role/role-02\"},\"Action\":\"sts:AssumeRole\"}]}"
ok "role-01 may list and read the bucket" -- aws --profile one iam put-role-policy --role-name role-01 --policy-name s3 --policy-document \
  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:ListBucket\",\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::$BUCKET\",\"arn:aws:s3:::$BUCKET/*\"]}]}"

instance two role-02 IMDS

denied "the instance role alone cannot list account 1's bucket" -- on_instance "$IMDS" aws s3 ls s3://$BUCKET/
config_profile role-01 "role_arn = arn:aws:iam::$one_ID:role/role-01" "credential_source = Ec2InstanceMetadata"
ok "after assuming role-01 it can" -- on_instance "$IMDS" aws --profile role-01 s3 ls s3://$BUCKET/
ok "identity" -- on_instance "$IMDS" aws --profile role-01 sts get-caller-identity
expect_eq "chained identity" "$(jq_get "$LAST_OUT" Arn | cut -d/ -f1-2)" "arn:aws:sts::$one_ID:assumed-role/role-01"

done_scenario
