#!/usr/bin/env bash
# Seed scenario 2 — an IAM user of the target account used from the source
# side, through a [profile crossaccount] with its keys; plus a bucket policy
# in B naming a user ARN of A with s3:Get* and s3:List*.
source "$(dirname "$0")/lib.sh"

account A
account B
BUCKET=b-data-$B_ID
ok "B: bucket" -- aws --profile B s3 mb s3://$BUCKET
echo one > "$WORK/one.txt"
ok "B: object" -- aws --profile B s3 cp "$WORK/one.txt" s3://$BUCKET/one.txt

say "B: an IAM user whose keys are handed to the people in account A"
user B crossaccount "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:ListAllMyBuckets\",\"s3:GetBucketLocation\"],\"Resource\":\"*\"},{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::$BUCKET\"},{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\",\"s3:DeleteObject\"],\"Resource\":\"arn:aws:s3:::$BUCKET/*\"}]}"
ok "list buckets with [profile crossaccount]" -- aws --profile crossaccount s3 ls
ok "get the bucket's location" -- aws --profile crossaccount s3api get-bucket-location --bucket $BUCKET
ok "upload"   -- aws --profile crossaccount s3 cp "$WORK/one.txt" s3://$BUCKET/two.txt
ok "download" -- aws --profile crossaccount s3 cp s3://$BUCKET/two.txt "$WORK/two.txt"
ok "delete"   -- aws --profile crossaccount s3 rm s3://$BUCKET/two.txt

say "B: a bucket policy naming a user ARN of account A with s3:Get* and s3:List*"
user A analyst "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:Get*\",\"s3:List*\"],\"Resource\":\"*\"}]}"
denied "before the policy, A's analyst is refused" -- aws --profile analyst s3 ls s3://$BUCKET/
ok "put-bucket-policy" -- aws --profile B s3api put-bucket-policy --bucket $BUCKET --policy \
  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::$A_ID:user/analyst\"},\"Action\":[\"s3:Get*\",\"s3:List*\"],\"Resource\":[\"arn:aws:s3:::$BUCKET\",\"arn:aws:s3:::$BUCKET/*\"]}]}"
ok "A's analyst lists" -- aws --profile analyst s3 ls s3://$BUCKET/
ok "A's analyst reads" -- aws --profile analyst s3 cp s3://$BUCKET/one.txt "$WORK/got.txt"
denied "A's analyst cannot write" -- aws --profile analyst s3 cp "$WORK/one.txt" s3://$BUCKET/x.txt

done_scenario
