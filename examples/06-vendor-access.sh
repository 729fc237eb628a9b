#!/usr/bin/env bash
# Seed scenario 6 — vendor access.
# The company account creates a role with create-role, create-policy and
# attach-role-policy (a customer managed policy); the vendor account assumes it
# and runs `aws s3 ls` and `aws s3 cp` down; get-caller-identity shows the
# assumed-role ARN.
source "$(dirname "$0")/lib.sh"

account company
account vendor

say "company: a bucket with a report"
ok "create bucket"      -- aws --profile company s3 mb s3://company-reports-$company_ID
echo "quarterly numbers" > "$WORK/report.csv"
ok "upload report"      -- aws --profile company s3 cp "$WORK/report.csv" s3://company-reports-$company_ID/q3/report.csv

say "company: a role the vendor account may assume, with a customer managed policy"
ok "create-role" -- aws --profile company iam create-role --role-name vendor-read \
  --assume-role-policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::$vendor_ID:root\"},\"Action\":\"sts:AssumeRole\"}]}"
ok "create-policy" -- aws --profile company iam create-policy --policy-name vendor-read-reports \
  --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:ListAllMyBuckets\",\"s3:ListBucket\",\"s3:GetObject\"],\"Resource\":\"*\"}]}"
ok "attach-role-policy" -- aws --profile company iam attach-role-policy --role-name vendor-read \
  --policy-arn "arn:aws:iam::$company_ID:policy/vendor-read-reports"

say "vendor: an IAM user allowed to assume the role (AWS refuses AssumeRole with root credentials)"
user vendor vendor-ops "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"arn:aws:iam::$company_ID:role/vendor-read\"}]}"
denied "the vendor's root cannot assume roles" -- aws --profile vendor sts assume-role --role-arn "arn:aws:iam::$company_ID:role/vendor-read" --role-session-name root-try

say "vendor: a profile that assumes the role"
config_profile vendor-as-company "role_arn = arn:aws:iam::$company_ID:role/vendor-read" "source_profile = vendor-ops" "role_session_name = vendor-session"
ok "get-caller-identity" -- aws --profile vendor-as-company sts get-caller-identity
expect_eq "identity" "$(jq_get "$LAST_OUT" Arn)" "arn:aws:sts::$company_ID:assumed-role/vendor-read/vendor-session"
ok "aws s3 ls"  -- aws --profile vendor-as-company s3 ls s3://company-reports-$company_ID/q3/
ok "aws s3 cp down" -- aws --profile vendor-as-company s3 cp s3://company-reports-$company_ID/q3/report.csv "$WORK/got.csv"
expect_eq "content" "$(cat "$WORK/got.csv")" "quarterly numbers"
denied "the role may not write" -- aws --profile vendor-as-company s3 cp "$WORK/report.csv" s3://company-reports-$company_ID/new.csv
denied "the vendor's own root has no access to the bucket" -- aws --profile vendor s3 ls s3://company-reports-$company_ID/

done_scenario
