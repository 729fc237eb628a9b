#!/usr/bin/env bash
# Seed scenario 7 — cross-account write and Object Ownership.
# Account A's user writes into account B's bucket (B's bucket policy allows
# s3:PutObject and s3:PutObjectAcl; A's IAM policy allows the same). With
# ObjectWriter ownership an object written without an ACL cannot be read by
# B, and one written with --acl bucket-owner-full-control can; with the
# default BucketOwnerEnforced, B reads both.
source "$(dirname "$0")/lib.sh"

account A
account B
WRITE="{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:PutObject\",\"s3:PutObjectAcl\"],\"Resource\":\"*\"}]}"
user A uploader "$WRITE"
echo report > "$WORK/r.txt"

for mode in ObjectWriter BucketOwnerEnforced; do
  BUCKET=$(echo "drop-$mode-$B_ID" | tr 'A-Z' 'a-z')
  say "bucket $BUCKET with Object Ownership $mode"
  ok "create bucket" -- aws --profile B s3api create-bucket --bucket $BUCKET --object-ownership $mode
  ok "bucket policy for A's uploader" -- aws --profile B s3api put-bucket-policy --bucket $BUCKET --policy \
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::$A_ID:user/uploader\"},\"Action\":[\"s3:PutObject\",\"s3:PutObjectAcl\"],\"Resource\":\"arn:aws:s3:::$BUCKET/*\"}]}"
  ok "A writes without an ACL" -- aws --profile uploader s3 cp "$WORK/r.txt" s3://$BUCKET/plain.txt
  ok "A writes with bucket-owner-full-control" -- aws --profile uploader s3 cp "$WORK/r.txt" s3://$BUCKET/bofc.txt --acl bucket-owner-full-control
  if [ $mode = ObjectWriter ]; then
    denied "B cannot read the object A owns" -- aws --profile B s3api get-object --bucket $BUCKET --key plain.txt "$WORK/x"
  else
    ok "B reads the object written without an ACL" -- aws --profile B s3 cp s3://$BUCKET/plain.txt "$WORK/x"
  fi
  ok "B reads the bucket-owner-full-control object" -- aws --profile B s3 cp s3://$BUCKET/bofc.txt "$WORK/y"
done

done_scenario
