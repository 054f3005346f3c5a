#!/usr/bin/env bash
# The main job, end to end, on one machine and without an AWS account:
#   1. build the provider and a real Lambda function (a Go bootstrap, zipped as AWS expects);
#   2. start the bundled simulator in the background with its durable store in .demo/sim-data;
#   3. `terraform apply` examples/demo through a dev_overrides CLI config (no registry, no init);
#   4. fire events through each invocation model the simulator executes so far, and show the
#      function's answers and the simulator's invocation records;
#   5. destroy, and stop the simulator by its process id.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
work="$root/.demo"
port="${LAMBDATRIGGER_DEMO_PORT:-4566}"
endpoint="http://127.0.0.1:$port"
bin="$root/bin/terraform-provider-lambdatrigger"
terraform="${TF_ACC_TERRAFORM_PATH:-$(command -v terraform || true)}"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
die() { echo "demo: $*" >&2; exit 1; }

[ -x "$bin" ] || die "provider binary missing: run 'make build' (make demo does it)"
[ -n "$terraform" ] && [ -x "$terraform" ] || die "terraform not found: install it or run scripts/ensure-terraform.sh"
command -v curl >/dev/null || die "curl is needed to call the simulator (apt-get install curl)"

rm -rf "$work"
mkdir -p "$work/function"

step "Building the demo function (examples/demo/function: a real aws-lambda-go bootstrap)"
CGO_ENABLED=0 go build -trimpath -tags lambda.norpc -o "$work/function/bootstrap" ./examples/demo/function
go run ./internal/tools/zipbootstrap "$work/function/bootstrap" "$work/function.zip"
ls -l "$work/function.zip"

step "Starting the simulator on $endpoint (store: .demo/sim-data)"
# --relax-role-checks: the demo models no IAM, so the function's (absent) role may read the queue.
"$bin" simulator serve --listen "127.0.0.1:$port" --data-dir "$work/sim-data" --relax-role-checks >"$work/simulator.log" 2>&1 &
sim_pid=$!
cleanup() {
  if kill -0 "$sim_pid" 2>/dev/null; then
    kill "$sim_pid"; wait "$sim_pid" 2>/dev/null || true
    echo "simulator (pid $sim_pid) stopped"
  fi
}
trap cleanup EXIT
for _ in $(seq 1 100); do
  curl -fsS "$endpoint/_sim/health" >/dev/null 2>&1 && break
  kill -0 "$sim_pid" 2>/dev/null || { cat "$work/simulator.log"; die "simulator exited"; }
  sleep 0.1
done
curl -fsS "$endpoint/_sim/health"

step "Creating an SQS queue for the poll-based model (SQS's query protocol, as older SDKs send it)"
queue_name=lambdatrigger-demo
curl -fsS -X POST "$endpoint/" --data "Action=CreateQueue&QueueName=$queue_name&Version=2012-11-05" >/dev/null
queue_url="$endpoint/000000000000/$queue_name"
queue_arn="arn:aws:sqs:us-east-1:000000000000:$queue_name"
echo "$queue_arn"

step "terraform apply examples/demo (dev_overrides: the provider built above, no terraform init)"
cat >"$work/terraformrc" <<CFG
provider_installation {
  dev_overrides {
    "registry.terraform.io/lambdatrigger/lambdatrigger" = "$root/bin"
  }
  direct {}
}
CFG
export TF_CLI_CONFIG_FILE="$work/terraformrc"
export TF_IN_AUTOMATION=1
# A working copy keeps terraform's state and data out of examples/.
mkdir -p "$work/tf" && cp examples/demo/*.tf "$work/tf/"
tf() { "$terraform" -chdir="$work/tf" "$@"; }
tfvars=(-var "endpoint=$endpoint" -var "zip_path=$work/function.zip" -var "queue_arn=$queue_arn")
tf apply -auto-approve -input=false "${tfvars[@]}"
function_name="$(tf output -raw function_name)"

step "Synchronous (RequestResponse): POST /2015-03-31/functions/$function_name/invocations"
curl -fsS -D "$work/headers" -X POST "$endpoint/2015-03-31/functions/$function_name/invocations" \
  -H 'X-Amz-Invocation-Type: RequestResponse' -d '{"name":"demo","model":"RequestResponse"}'
echo
grep -i '^x-amz-' "$work/headers" || true

step "Asynchronous (Event): the same API answers 202 once the event is stored; Lambda's queue runs it"
curl -fsS -o /dev/null -w 'HTTP %{http_code}\n' -X POST "$endpoint/2015-03-31/functions/$function_name/invocations" \
  -H 'X-Amz-Invocation-Type: Event' -d '{"name":"demo","model":"Event"}'
for _ in $(seq 1 50); do
  curl -fsS "$endpoint/_sim/invocations?function=$function_name" | grep -q '"invocationType": "Event"' && break
  sleep 0.1
done

step "Poll-based (event source mapping): a message sent to the queue reaches the function in a batch"
curl -fsS -X POST "$endpoint/" --data-urlencode "Action=SendMessage" --data-urlencode "Version=2012-11-05" \
  --data-urlencode "QueueUrl=$queue_url" --data-urlencode 'MessageBody={"name":"demo","model":"poll"}' >/dev/null
for _ in $(seq 1 100); do
  curl -fsS "$endpoint/_sim/invocations?function=$function_name" | grep -q '"trigger": "sqs:' && break
  sleep 0.1
done

step "Invocation records (GET /_sim/invocations?function=$function_name)"
curl -fsS "$endpoint/_sim/invocations?function=$function_name"

step "terraform destroy"
tf destroy -auto-approve -input=false "${tfvars[@]}"

step "Done. Simulator log: .demo/simulator.log"
