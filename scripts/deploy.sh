#!/usr/bin/env bash
# Deploys DmarcCloud to Azure with the Azure CLI: resource group, infra/main.bicep (compiled with the
# pinned Bicep CLI), the two Key Vault secrets (optional), and the function package built by
# scripts/package.sh (`dotnet publish` of the isolated-worker app). Prints what it created. Needs a signed-in `az` (az login); see docs/deploy.md.
#
#   scripts/deploy.sh --resource-group NAME --location REGION [--environment-name NAME]
#                     [--subscription ID] [--parameters FILE] [--skip-package] [--ready-to-run true|false]
#
# Secrets never go on a command line: set DMARCCLOUD_SMTP_PASSWORD_FILE and/or
# DMARCCLOUD_REPORT_DKIM_KEY_FILE to files holding the SMTP password and the report DKIM private key
# (PEM); they are written to Key Vault with `az keyvault secret set --file`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

log() { printf '[deploy] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

resource_group=""
location=""
environment_name=""
subscription=""
extra_parameters=""
skip_package=false
ready_to_run=true  # see scripts/package.sh and docs/benchmarks.md
while [ $# -gt 0 ]; do
  case "$1" in
    --resource-group|-g) resource_group="${2:?}"; shift 2 ;;
    --location|-l) location="${2:?}"; shift 2 ;;
    --environment-name) environment_name="${2:?}"; shift 2 ;;
    --subscription) subscription="${2:?}"; shift 2 ;;
    --parameters) extra_parameters="${2:?}"; shift 2 ;;
    --skip-package) skip_package=true; shift ;;
    --ready-to-run) ready_to_run="${2:?}"; shift 2 ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
done
[ -n "$resource_group" ] || die "--resource-group is required"
[ -n "$location" ] || die "--location is required"
[ -n "$environment_name" ] || environment_name="$resource_group"
[ -z "$extra_parameters" ] || [ -f "$extra_parameters" ] || die "parameters file $extra_parameters not found"

command -v az >/dev/null 2>&1 || die "the Azure CLI (az) is required"
az account show --output none 2>/dev/null || die "not signed in: run 'az login' first"
if [ -n "$subscription" ]; then
  az account set --subscription "$subscription"
fi

# 1. Package: dotnet publish output (linux-x64, framework-dependent, ReadyToRun by default), zipped.
zip_path="$root/artifacts/package/dmarccloud-functions.zip"
if [ "$skip_package" = false ]; then
  "$root/scripts/package.sh" --ready-to-run "$ready_to_run"
fi
[ -f "$zip_path" ] || die "$zip_path not found (run scripts/package.sh)"

# 2. Compile the template with the pinned Bicep CLI (scripts/setup.sh installs it).
bicep="$root/.tools/bicep/0.49.2/bicep"
[ -x "$bicep" ] || die "Bicep CLI not found at $bicep: run scripts/setup.sh"
build_dir="$root/artifacts/deploy"
mkdir -p "$build_dir"
"$bicep" build "$root/infra/main.bicep" --outfile "$build_dir/main.json"

# 3. Resource group and deployment.
log "resource group $resource_group ($location)"
az group create --name "$resource_group" --location "$location" \
  --tags "azd-env-name=$environment_name" application=dmarccloud --output none

principal_id="$(az ad signed-in-user show --query id --output tsv 2>/dev/null || true)"
principal_type=User
if [ -z "$principal_id" ]; then
  # Signed in as a service principal: grant it the Key Vault secrets role instead.
  client_id="$(az account show --query user.name --output tsv)"
  principal_id="$(az ad sp show --id "$client_id" --query id --output tsv 2>/dev/null || true)"
  principal_type=ServicePrincipal
fi

deployment_name="dmarccloud-$(date -u +%Y%m%d%H%M%S)"
parameters=(--parameters "environmentName=$environment_name" "location=$location"
            "principalId=$principal_id" "principalType=$principal_type")
if [ -n "$extra_parameters" ]; then
  parameters+=(--parameters "@$extra_parameters")
fi
log "deployment $deployment_name"
outputs="$(az deployment group create --resource-group "$resource_group" --name "$deployment_name" \
  --template-file "$build_dir/main.json" "${parameters[@]}" \
  --query properties.outputs --output json)"

output() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]]["value"])' "$outputs" "$1"; }
app_name="$(output AZURE_FUNCTION_APP_NAME)"
vault_name="$(output AZURE_KEY_VAULT_NAME)"

# 4. Secrets, from files only (never from argv).
set_secret() { # $1 = secret name, $2 = file
  [ -f "$2" ] || die "secret file $2 not found"
  log "Key Vault secret $1"
  az keyvault secret set --vault-name "$vault_name" --name "$1" --file "$2" --output none
}
if [ -n "${DMARCCLOUD_SMTP_PASSWORD_FILE:-}" ]; then
  set_secret smtp-password "$DMARCCLOUD_SMTP_PASSWORD_FILE"
fi
if [ -n "${DMARCCLOUD_REPORT_DKIM_KEY_FILE:-}" ]; then
  set_secret report-dkim-private-key "$DMARCCLOUD_REPORT_DKIM_KEY_FILE"
fi

# 5. Package: Flex Consumption one-deploy, authenticated with the signed-in Entra identity (basic
# publishing credentials are disabled by the template). The platform writes it to the app-package
# container, which the app reads with its managed identity.
log "deploying $zip_path to $app_name"
az functionapp deployment source config-zip --resource-group "$resource_group" --name "$app_name" \
  --src "$zip_path" --output none

# 6. Report.
log "created or updated in resource group $resource_group:"
az resource list --resource-group "$resource_group" --query "[].{type:type, name:name}" --output table
printf '\n'
python3 -c 'import json,sys
for k, v in json.loads(sys.argv[1]).items():
    print(f"{k:36} {v[\"value\"]}")' "$outputs"
