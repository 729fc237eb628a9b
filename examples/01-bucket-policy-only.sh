#!/usr/bin/env bash
# Seed scenario 1 — bucket policy only.
# Account B's bucket policy allows arn:aws:iam::A:root s3:GetObject on
# bucket/* and s3:ListBucket on the bucket. A user in A with an IAM policy
# for those actions lists and reads; a user in A without it is denied; a
# user in a third account is denied.
source "$(dirname "$0")/lib.sh"

account A
account B
account C
BUCKET=b-public-to-a-$B_ID
ok "B: bucket" -- aws --profile B s3 mb s3://$BUCKET
echo "shared" > "$WORK/s.txt"
ok "B: object" -- aws --profile B s3 cp "$WORK/s.txt" s3://$BUCKET/s.txt
ok "B: bucket policy naming account A" -- aws --profile B s3api put-bucket-policy --bucket $BUCKET --policy \
  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::$A_ID:root\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::$BUCKET/*\"},{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::$A_ID:root\"},\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::$BUCKET\"}]}"

READ="{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],\"Resource\":[\"arn:aws:s3:::$BUCKET\",\"arn:aws:s3:::$BUCKET/*\"]}]}"
user A reader "$READ"
user A nopolicy
user C outsider "$READ"

ok "A's reader lists"  -- aws --profile reader s3 ls s3://$BUCKET/
ok "A's reader reads"  -- aws --profile reader s3 cp s3://$BUCKET/s.txt "$WORK/got.txt"
expect_eq "content" "$(cat "$WORK/got.txt")" "shared"
denied "A's user without an IAM policy" -- aws --profile nopolicy s3 ls s3://$BUCKET/
denied "a user of a third account (its IAM policy is not enough)" -- aws --profile outsider s3 ls s3://$BUCKET/
denied "A's reader cannot write (not in the bucket policy)" -- aws --profile reader s3 cp "$WORK/s.txt" s3://$BUCKET/new.txt

done_scenario
