# Shared helpers for the crossbucket example scenarios. Source it from a
# scenario script; it starts a throwaway server (or uses yours, see below),
# creates accounts and prints each step with its outcome.
#
#   CROSSBUCKET            the crossbucket binary (default: built from this repo)
#   CROSSBUCKET_DATA_DIR + AWS_ENDPOINT_URL
#                          use an already running server on that data dir
set -euo pipefail

EXAMPLES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORK=$(mktemp -d)
if [ -z "${CROSSBUCKET:-}" ]; then
  CROSSBUCKET="$WORK/crossbucket"
  (cd "$EXAMPLES_DIR/.." && go build -o "$CROSSBUCKET" ./cmd/crossbucket)
fi
export HOME="$WORK/home"      # the aws CLI keeps profiles and caches here
mkdir -p "$HOME/.aws"
export AWS_CONFIG_FILE="$HOME/.aws/config" AWS_SHARED_CREDENTIALS_FILE="$HOME/.aws/credentials"
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_EC2_METADATA_DISABLED=true
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE AWS_CA_BUNDLE
: > "$AWS_CONFIG_FILE"; : > "$AWS_SHARED_CREDENTIALS_FILE"

SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT


free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

if [ -n "${CROSSBUCKET_DATA_DIR:-}" ] && [ -n "${AWS_ENDPOINT_URL:-}" ]; then
  DATA_DIR=$CROSSBUCKET_DATA_DIR
  VPCE_URL=${VPCE_URL:-}
else
  DATA_DIR="$WORK/data"
  PORT=$(free_port); VPCE_PORT=$(free_port)
  "$CROSSBUCKET" serve --data-dir "$DATA_DIR" --listen "127.0.0.1:$PORT" --log-level warn \
    --vpc-endpoint "vpce-1a2b3c4d=127.0.0.1:$VPCE_PORT,vpc=vpc-111bbb22" > "$WORK/server.out" 2> "$WORK/server.err" &
  SERVER_PID=$!
  for _ in $(seq 100); do grep -q "listening on" "$WORK/server.out" 2>/dev/null && break; sleep 0.1; done
  export AWS_ENDPOINT_URL="http://127.0.0.1:$PORT"
  VPCE_URL="http://127.0.0.1:$VPCE_PORT"
fi

# account NAME: creates an account, writes a [NAME] profile with its root keys
# and sets NAME_ID to its account id.
account() {
  local name=$1 json id key secret
  json=$("$CROSSBUCKET" account create --data-dir "$DATA_DIR")
  id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["AccountId"])' <<<"$json")
  key=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["AccessKeyId"])' <<<"$json")
  secret=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["SecretAccessKey"])' <<<"$json")
  profile "$name" "$key" "$secret"
  printf -v "${name}_ID" '%s' "$id"
  say "account $name = $id"
}

# profile NAME KEY SECRET: a credentials profile.
profile() {
  printf '[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\n\n' "$1" "$2" "$3" >> "$AWS_SHARED_CREDENTIALS_FILE"
}

# config_profile NAME LINES...: a [profile NAME] section in ~/.aws/config.
config_profile() {
  local name=$1; shift
  { printf '[profile %s]\n' "$name"; printf '%s\n' "$@"; printf '\n'; } >> "$AWS_CONFIG_FILE"
}

# user PROFILE NAME [POLICY-JSON]: an IAM user (with an inline policy) in the
# account of PROFILE; writes a profile named NAME with its keys.
user() {
  local acct=$1 name=$2 policy=${3:-} json
  aws --profile "$acct" iam create-user --user-name "$name" > /dev/null
  if [ -n "$policy" ]; then
    aws --profile "$acct" iam put-user-policy --user-name "$name" --policy-name "$name-policy" --policy-document "$policy"
  fi
  json=$(aws --profile "$acct" iam create-access-key --user-name "$name")
  profile "$name" "$(jq_get "$json" AccessKey.AccessKeyId)" "$(jq_get "$json" AccessKey.SecretAccessKey)"
  say "IAM user $name in account $acct"
}

# jq_get JSON PATH: a value from a JSON document (dotted path).
jq_get() {
  python3 -c 'import json,sys
v=json.loads(sys.argv[1])
for k in sys.argv[2].split("."): v=v[k]
print(v)' "$1" "$2"
}

say() { printf '\n== %s\n' "$*"; }

# ok DESCRIPTION -- COMMAND...: the command must succeed.
ok() {
  local what=$1; shift; [ "$1" = "--" ] && shift
  local out
  if out=$("$@" 2>&1); then
    printf '  ok      %s\n' "$what"
    LAST_OUT=$out
  else
    printf '  FAILED  %s (expected success)\n%s\n' "$what" "$out" >&2
    exit 1
  fi
}

# denied DESCRIPTION -- COMMAND...: the command must fail with AccessDenied.
denied() {
  local what=$1; shift; [ "$1" = "--" ] && shift
  local out
  if out=$("$@" 2>&1); then
    printf '  FAILED  %s (expected AccessDenied, it succeeded)\n%s\n' "$what" "$out" >&2
    exit 1
  elif grep -q "AccessDenied" <<<"$out"; then
    printf '  denied  %s\n' "$what"
  else
    printf '  FAILED  %s (expected AccessDenied)\n%s\n' "$what" "$out" >&2
    exit 1
  fi
}

# expect_eq DESCRIPTION GOT WANT
expect_eq() {
  if [ "$2" = "$3" ]; then printf '  ok      %s: %s\n' "$1" "$2"; else printf '  FAILED  %s: got %s, want %s\n' "$1" "$2" "$3" >&2; exit 1; fi
}

done_scenario() { printf '\nScenario passed.\n'; }

# ec2_role PROFILE ROLE [POLICY-JSON]: a role trusting ec2.amazonaws.com, with
# an inline policy, and an instance profile of the same name holding it.
ec2_role() {
  local acct=$1 role=$2 policy=${3:-}
  aws --profile "$acct" iam create-role --role-name "$role" --assume-role-policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}' > /dev/null
  if [ -n "$policy" ]; then
    aws --profile "$acct" iam put-role-policy --role-name "$role" --policy-name "$role-policy" --policy-document "$policy"
  fi
  aws --profile "$acct" iam create-instance-profile --instance-profile-name "$role" > /dev/null
  aws --profile "$acct" iam add-role-to-instance-profile --instance-profile-name "$role" --role-name "$role"
  say "role $role (trusts ec2.amazonaws.com) and instance profile $role in account $acct"
}

# instance PROFILE INSTANCE-PROFILE VAR: launches an instance with the
# instance profile and sets VAR to its metadata endpoint URL.
instance() {
  local acct=$1 prof=$2 var=$3 id ep
  id=$(aws --profile "$acct" ec2 run-instances --image-id ami-0abcdef1234567890 --instance-type t3.micro \
    --iam-instance-profile "Name=$prof" --query 'Instances[0].InstanceId' --output text)
  ep=$("$CROSSBUCKET" instance endpoint "$id" --data-dir "$DATA_DIR")
  printf -v "$var" '%s' "$ep"
  say "instance $id in account $acct with instance profile $prof; metadata endpoint $ep"
}

# on_instance ENDPOINT COMMAND...: runs COMMAND as code on that instance would:
# credentials come from its instance metadata.
on_instance() {
  local ep=$1; shift
  AWS_EC2_METADATA_DISABLED=false AWS_EC2_METADATA_SERVICE_ENDPOINT=$ep "$@"
}
