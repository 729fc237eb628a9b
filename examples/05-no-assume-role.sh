#!/usr/bin/env bash
# Seed scenario 5 — no AssumeRole.
# An instance role in account 1 has an IAM policy for buckets in accounts 1
# and 2, and the bucket policy in account 2 names that role: copying from
# bucket-1 to bucket-2 works. Remove either side's allow and it fails.
source "$(dirname "$0")/lib.sh"

account one
account two
B1=bucket-1-$one_ID; B2=bucket-2-$two_ID
ok "bucket-1" -- aws --profile one s3 mb s3://$B1
ok "bucket-2" -- aws --profile two s3 mb s3://$B2
echo payload > "$WORK/x"
ok "object in bucket-1" -- aws --profile one s3 cp "$WORK/x" s3://$B1/x

ROLE=arn:aws:iam::$one_ID:role/copier
ec2_role one copier "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\",\"s3:ListBucket\"],\"Resource\":[\"arn:aws:s3:::$B1\",\"arn:aws:s3:::$B1/*\",\"arn:aws:s3:::$B2\",\"arn:aws:s3:::$B2/*\"]}]}"
instance one copier IMDS
B2POLICY="{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"$ROLE\"},\"Action\":[\"s3:PutObject\",\"s3:GetObject\",\"s3:ListBucket\"],\"Resource\":[\"arn:aws:s3:::$B2\",\"arn:aws:s3:::$B2/*\"]}]}"

denied "without bucket-2's policy the copy is refused" -- on_instance "$IMDS" aws s3 cp s3://$B1/x s3://$B2/x
ok "account 2: bucket policy naming the role" -- aws --profile two s3api put-bucket-policy --bucket $B2 --policy "$B2POLICY"
ok "copy bucket-1 → bucket-2 from the instance" -- on_instance "$IMDS" aws s3 cp s3://$B1/x s3://$B2/x
ok "account 2 sees it" -- aws --profile two s3 ls s3://$B2/x

say "remove the role's identity-side allow for bucket-2"
ok "narrow the role policy" -- aws --profile one iam put-role-policy --role-name copier --policy-name copier-policy --policy-document \
  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],\"Resource\":[\"arn:aws:s3:::$B1\",\"arn:aws:s3:::$B1/*\"]}]}"
denied "the copy now fails" -- on_instance "$IMDS" aws s3 cp s3://$B1/x s3://$B2/y

done_scenario
